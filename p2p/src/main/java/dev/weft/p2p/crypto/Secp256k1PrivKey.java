package dev.weft.p2p.crypto;

import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/**
 * A secp256k1 private key (Data: the 32-byte big-endian scalar). Signs with deterministic ECDSA
 * (RFC 6979) over SHA-256, low-S normalised, DER encoded. Immutable.
 */
public final class Secp256k1PrivKey implements PrivKey {
  private final BigInteger d;
  private final Secp256k1PubKey publicKey;

  private Secp256k1PrivKey(BigInteger d) {
    this.d = d;
    this.publicKey = Secp256k1PubKey.of(Secp256k1.DOMAIN.getG().multiply(d).normalize());
  }

  static Secp256k1PrivKey fromData(byte[] data) {
    if (data.length != 32) throw new IllegalArgumentException("secp256k1 private key must be 32 bytes, not " + data.length);
    BigInteger d = new BigInteger(1, data);
    if (d.signum() == 0 || d.compareTo(Secp256k1.DOMAIN.getN()) >= 0) throw new IllegalArgumentException("secp256k1 private key out of range");
    return new Secp256k1PrivKey(d);
  }

  @Override public KeyType type() {
    return KeyType.SECP256K1;
  }

  @Override public Secp256k1PubKey publicKey() {
    return publicKey;
  }

  @Override public byte[] sign(byte[] data) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, Secp256k1.DOMAIN));
    BigInteger[] rs = signer.generateSignature(Secp256k1.sha256(data));
    BigInteger n = Secp256k1.DOMAIN.getN();
    BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
    return Secp256k1.encodeDer(rs[0], s);
  }

  @Override public byte[] marshal() {
    return Keys.marshalPrivate(KeyType.SECP256K1, BigIntegers.asUnsignedByteArray(32, d));
  }

  @Override public boolean equals(Object o) {
    return o instanceof Secp256k1PrivKey k && k.d.equals(d);
  }

  @Override public int hashCode() {
    return publicKey.hashCode();
  }

  @Override public String toString() {
    return "Secp256k1PrivKey(pub=" + java.util.HexFormat.of().formatHex(publicKey.raw()) + ")";
  }
}
