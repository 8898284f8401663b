package dev.weft.p2p.crypto;

import java.security.interfaces.ECPublicKey;

/**
 * An ECDSA public key on NIST P-256, P-384 or P-521, as DER PKIX; signatures are DER ECDSA over
 * SHA-256 of the data (peer-ids.md). Immutable.
 */
public final class EcdsaPubKey extends JdkPubKey {
  /** @throws IllegalArgumentException on malformed DER or another curve */
  public EcdsaPubKey(byte[] der) {
    super(der, "EC");
    int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
    if (bits != 256 && bits != 384 && bits != 521) throw new IllegalArgumentException("unsupported ECDSA curve of " + bits + " bits");
  }

  @Override public KeyType type() {
    return KeyType.ECDSA;
  }

  @Override String signatureAlgorithm() {
    return "SHA256withECDSA";
  }
}
