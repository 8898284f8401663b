package dev.weft.p2p.crypto;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;

/** An RSA private key; Data is PKCS#1 {@code RSAPrivateKey} DER. Signs with SHA256withRSA. */
public final class RsaPrivKey extends JdkPrivKey {
  private RsaPrivKey(byte[] data, PrivateKey key, PubKey publicKey) {
    super(data, key, publicKey);
  }

  static RsaPrivKey fromData(byte[] data) {
    try {
      RSAPrivateKey k = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(data));
      KeyFactory kf = KeyFactory.getInstance("RSA");
      PrivateKey key = kf.generatePrivate(new RSAPrivateCrtKeySpec(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
          k.getPrime1(), k.getPrime2(), k.getExponent1(), k.getExponent2(), k.getCoefficient()));
      byte[] spki = kf.generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent())).getEncoded();
      RsaPrivKey priv = new RsaPrivKey(data, key, new RsaPubKey(spki));
      priv.selfTest();
      return priv;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("invalid RSA private key: " + e.getMessage(), e);
    }
  }

  @Override public KeyType type() {
    return KeyType.RSA;
  }

  @Override String signatureAlgorithm() {
    return "SHA256withRSA";
  }
}
