package dev.weft.p2p.crypto;

import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * An ECDSA public key on NIST P-256, P-384 or P-521, as DER PKIX naming its curve; signatures are
 * DER ECDSA over SHA-256 of the data (peer-ids.md). Immutable.
 */
public final class EcdsaPubKey extends JdkPubKey {
  /** The curves go-libp2p accepts; keys with explicit (possibly weak) curve parameters are refused. */
  private static final Set<ASN1ObjectIdentifier> CURVES = Set.of(SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1, SECObjectIdentifiers.secp521r1);

  /** @throws IllegalArgumentException on malformed DER or another curve */
  public EcdsaPubKey(byte[] der) {
    super(der, "EC");
    ASN1Encodable params = SubjectPublicKeyInfo.getInstance(der).getAlgorithm().getParameters();
    if (!(params instanceof ASN1ObjectIdentifier oid) || !CURVES.contains(oid)) {
      throw new IllegalArgumentException("unsupported ECDSA curve " + params + " (P-256, P-384 and P-521 are accepted)");
    }
  }

  @Override public KeyType type() {
    return KeyType.ECDSA;
  }

  @Override String signatureAlgorithm() {
    return "SHA256withECDSA";
  }
}
