package dev.weft.p2p.crypto;

/** A private key. Implementations are immutable and thread-safe. */
public interface PrivKey {
  KeyType type();

  PubKey publicKey();

  byte[] sign(byte[] data);

  /** The libp2p {@code PrivateKey} protobuf. */
  byte[] marshal();
}
