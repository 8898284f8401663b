package dev.weft.node.round.msg;

/** Signs round messages with one peer's key. Implementations are thread-safe. */
public interface RoundSigner {
  PeerKey key();

  byte[] sign(byte[] data);
}
