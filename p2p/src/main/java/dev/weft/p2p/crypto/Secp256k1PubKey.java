package dev.weft.p2p.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 public key (Bitcoin encoding; we accept the 33-byte compressed form that libp2p
 * implementations send). Signatures are DER ECDSA over SHA-256 of the data. Immutable.
 */
public final class Secp256k1PubKey implements PubKey {
  public static final int KEY_BYTES = 33;

  private final byte[] raw;
  private final ECPublicKeyParameters params;

  /** @throws IllegalArgumentException unless {@code raw} is a compressed point on the curve */
  public Secp256k1PubKey(byte[] raw) {
    if (raw.length != KEY_BYTES || (raw[0] != 2 && raw[0] != 3)) {
      throw new IllegalArgumentException("secp256k1 public key must be 33 bytes, compressed (0x02/0x03)");
    }
    try {
      ECPoint q = Secp256k1.DOMAIN.getCurve().decodePoint(raw);
      this.params = new ECPublicKeyParameters(q, Secp256k1.DOMAIN);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid secp256k1 public key: " + e.getMessage(), e);
    }
    this.raw = raw.clone();
  }

  static Secp256k1PubKey of(ECPoint q) {
    return new Secp256k1PubKey(q.getEncoded(true));
  }

  @Override public KeyType type() {
    return KeyType.SECP256K1;
  }

  @Override public byte[] raw() {
    return raw.clone();
  }

  @Override public byte[] marshal() {
    return Keys.marshalPublic(KeyType.SECP256K1, raw);
  }

  @Override public boolean verify(byte[] data, byte[] signature) {
    BigInteger[] rs = Secp256k1.decodeDer(signature);
    if (rs == null) return false;
    try {
      ECDSASigner verifier = new ECDSASigner();
      verifier.init(false, params);
      return verifier.verifySignature(Secp256k1.sha256(data), rs[0], rs[1]);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof Secp256k1PubKey k && Arrays.equals(k.raw, raw);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(raw);
  }
}
