package dev.weft.p2p.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/** Base of private keys that sign through the JDK; Data is kept as given. */
abstract sealed class JdkPrivKey implements PrivKey permits EcdsaPrivKey, RsaPrivKey {
  private final byte[] data;
  private final PrivateKey key;
  private final PubKey publicKey;

  JdkPrivKey(byte[] data, PrivateKey key, PubKey publicKey) {
    this.data = data.clone();
    this.key = key;
    this.publicKey = publicKey;
  }

  abstract String signatureAlgorithm();

  @Override public PubKey publicKey() {
    return publicKey;
  }

  @Override public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance(signatureAlgorithm());
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }

  @Override public byte[] marshal() {
    return Keys.marshalPrivate(type(), data);
  }

  @Override public boolean equals(Object o) {
    return o instanceof JdkPrivKey k && k.type() == type() && java.security.MessageDigest.isEqual(k.data, data);
  }

  @Override public int hashCode() {
    return publicKey.hashCode();
  }

  @Override public String toString() {
    return getClass().getSimpleName() + "(" + type() + ")";
  }
}
