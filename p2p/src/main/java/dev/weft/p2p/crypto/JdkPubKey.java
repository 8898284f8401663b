package dev.weft.p2p.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** Base of public keys whose Data is a DER PKIX SubjectPublicKeyInfo, verified by the JDK. */
abstract sealed class JdkPubKey implements PubKey permits EcdsaPubKey, RsaPubKey {
  /** An 8192-bit RSA SubjectPublicKeyInfo is about 1.1 KiB. */
  static final int MAX_DER_BYTES = 2048;

  private final byte[] raw;
  final PublicKey key;

  JdkPubKey(byte[] raw, String algorithm) {
    if (raw.length > MAX_DER_BYTES) throw new IllegalArgumentException(algorithm + " public key longer than " + MAX_DER_BYTES + " bytes");
    try {
      this.key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(raw));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("invalid " + algorithm + " public key: " + e.getMessage(), e);
    }
    // Peer ids hash these bytes: accept only the canonical DER the JDK itself would write.
    if (!Arrays.equals(key.getEncoded(), raw)) throw new IllegalArgumentException(algorithm + " public key is not canonical DER");
    this.raw = raw.clone();
  }

  abstract String signatureAlgorithm();

  @Override public byte[] raw() {
    return raw.clone();
  }

  @Override public byte[] marshal() {
    return Keys.marshalPublic(type(), raw);
  }

  @Override public boolean verify(byte[] data, byte[] signature) {
    try {
      Signature v = Signature.getInstance(signatureAlgorithm());
      v.initVerify(key);
      v.update(data);
      return v.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof JdkPubKey k && k.type() == type() && Arrays.equals(k.raw, raw);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(raw);
  }
}
