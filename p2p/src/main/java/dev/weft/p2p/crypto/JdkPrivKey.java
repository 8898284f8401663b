package dev.weft.p2p.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/** Base of private keys that sign through the JDK; Data is kept as given. */
abstract sealed class JdkPrivKey implements PrivKey permits EcdsaPrivKey, RsaPrivKey {
  private final byte[] data;
  private final PrivateKey key;
  private final PubKey publicKey;

  /** Signed and verified once when a key is loaded, to catch inconsistent key material. */
  private static final byte[] SELF_TEST_MESSAGE = "weft private key self-test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  JdkPrivKey(byte[] data, PrivateKey key, PubKey publicKey) {
    this.data = data.clone();
    this.key = key;
    this.publicKey = publicKey;
  }

  /**
   * Fails unless the key signs and its public key verifies the result. A key file with corrupt
   * CRT parameters (found by KeysFuzzTest) otherwise loads fine and fails at the first signature.
   */
  final void selfTest() {
    byte[] sig;
    try {
      sig = sign(SELF_TEST_MESSAGE);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("inconsistent " + type() + " private key: cannot sign", e);
    }
    if (!publicKey.verify(SELF_TEST_MESSAGE, sig)) {
      throw new IllegalArgumentException("inconsistent " + type() + " private key: signature does not verify");
    }
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
