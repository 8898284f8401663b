package dev.weft.p2p.crypto;

/**
 * A public key a peer may present. Ed25519 is ours; RSA, secp256k1 and ECDSA are verified when
 * remote peers present them. Implementations are immutable and thread-safe.
 */
public interface PubKey {
  KeyType type();

  /** The key in its type's own format (the protobuf {@code Data} field). */
  byte[] raw();

  /** The libp2p {@code PublicKey} protobuf, deterministically encoded (what PeerIds hash). */
  byte[] marshal();

  /** Whether {@code signature} is a valid signature of {@code data}; never throws on bad input. */
  boolean verify(byte[] data, byte[] signature);
}
