package dev.weft.p2p.crypto;

/** Key types of the libp2p key protobuf (peer-ids.md); the numbers are the wire values. */
public enum KeyType {
  RSA(0), ED25519(1), SECP256K1(2), ECDSA(3);

  public final int wire;

  KeyType(int wire) {
    this.wire = wire;
  }

  public static KeyType fromWire(int wire) {
    for (KeyType t : values()) if (t.wire == wire) return t;
    throw new IllegalArgumentException("unknown key type " + wire);
  }
}
