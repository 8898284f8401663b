package dev.weft.p2p.crypto;

import java.security.interfaces.RSAPublicKey;

/**
 * An RSA public key as DER PKIX; signatures are RSASSA-PKCS1-v1_5 with SHA-256. Keys below {@link
 * #MIN_BITS} are refused (libp2p's minimum), as are keys above {@link #MAX_BITS}, which would make
 * every verification a denial-of-service lever. Immutable.
 */
public final class RsaPubKey extends JdkPubKey {
  public static final int MIN_BITS = 2048;
  public static final int MAX_BITS = 8192;

  /** @throws IllegalArgumentException on malformed DER or a modulus outside the allowed sizes */
  public RsaPubKey(byte[] der) {
    super(der, "RSA");
    int bits = ((RSAPublicKey) key).getModulus().bitLength();
    if (bits < MIN_BITS) throw new IllegalArgumentException("RSA key of " + bits + " bits is below the " + MIN_BITS + "-bit minimum");
    if (bits > MAX_BITS) throw new IllegalArgumentException("RSA key of " + bits + " bits is above the " + MAX_BITS + "-bit maximum");
  }

  @Override public KeyType type() {
    return KeyType.RSA;
  }

  @Override String signatureAlgorithm() {
    return "SHA256withRSA";
  }
}
