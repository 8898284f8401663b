package dev.weft.p2p.crypto;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * An ECDSA private key; Data is a DER SEC1 {@code ECPrivateKey} (RFC 5915) naming its curve, as
 * in the peer-ids.md test vector. Signs with SHA256withECDSA. Immutable.
 */
public final class EcdsaPrivKey extends JdkPrivKey {
  private EcdsaPrivKey(byte[] data, PrivateKey key, PubKey publicKey) {
    super(data, key, publicKey);
  }

  static EcdsaPrivKey fromData(byte[] data) {
    try {
      ECPrivateKey sec1 = ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(data));
      ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(sec1.getParametersObject());
      X9ECParameters params = ECNamedCurveTable.getByOID(curve);
      if (params == null) throw new IllegalArgumentException("unknown ECDSA curve " + curve);
      AlgorithmIdentifier alg = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve);
      byte[] pkcs8 = new PrivateKeyInfo(alg, sec1).getEncoded(ASN1Encoding.DER);
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      java.math.BigInteger d = sec1.getKey();
      if (d.signum() <= 0 || d.compareTo(params.getN()) >= 0) throw new IllegalArgumentException("ECDSA private key out of range");
      byte[] q = params.getG().multiply(d).normalize().getEncoded(false);
      if (sec1.getPublicKey() != null && !java.util.Arrays.equals(sec1.getPublicKey().getOctets(), q)) {
        throw new IllegalArgumentException("ECDSA private key: embedded public key does not match the private scalar");
      }
      byte[] spki = new SubjectPublicKeyInfo(alg, q).getEncoded(ASN1Encoding.DER);
      EcdsaPrivKey priv = new EcdsaPrivKey(data, key, new EcdsaPubKey(spki));
      priv.selfTest();
      return priv;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("invalid ECDSA private key: " + e.getMessage(), e);
    }
  }

  @Override public KeyType type() {
    return KeyType.ECDSA;
  }

  @Override String signatureAlgorithm() {
    return "SHA256withECDSA";
  }
}
