package dev.weft.p2p.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 public key (RFC 8032); libp2p Data is the 32-byte key. Immutable, thread-safe. */
public final class Ed25519PubKey implements PubKey {
  public static final int KEY_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  private final byte[] raw;
  private final Ed25519PublicKeyParameters params;

  /** @throws IllegalArgumentException if {@code raw} is not 32 bytes encoding a curve point */
  public Ed25519PubKey(byte[] raw) {
    if (raw.length != KEY_BYTES) throw new IllegalArgumentException("Ed25519 public key must be 32 bytes, not " + raw.length);
    this.raw = raw.clone();
    try {
      this.params = new Ed25519PublicKeyParameters(this.raw, 0);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid Ed25519 public key", e);
    }
  }

  @Override public KeyType type() {
    return KeyType.ED25519;
  }

  @Override public byte[] raw() {
    return raw.clone();
  }

  @Override public byte[] marshal() {
    return Keys.marshalPublic(KeyType.ED25519, raw);
  }

  @Override public boolean verify(byte[] data, byte[] signature) {
    if (signature.length != SIGNATURE_BYTES) return false;
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, params);
      verifier.update(data, 0, data.length);
      return verifier.verifySignature(signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof Ed25519PubKey k && Arrays.equals(k.raw, raw);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override public String toString() {
    return "Ed25519PubKey(" + java.util.HexFormat.of().formatHex(raw) + ")";
  }
}
