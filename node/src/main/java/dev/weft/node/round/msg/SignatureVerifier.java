package dev.weft.node.round.msg;

/** Checks a signature by a round participant; false (never an exception) for anything invalid. */
@FunctionalInterface
public interface SignatureVerifier {
  boolean verify(PeerKey signer, byte[] data, byte[] signature);
}
