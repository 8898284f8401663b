package dev.weft.p2p.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/** secp256k1 domain and the DER signature encoding shared by its keys. */
final class Secp256k1 {
  static final ECDomainParameters DOMAIN;

  static {
    X9ECParameters p = CustomNamedCurves.getByName("secp256k1");
    DOMAIN = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
  }

  /** A DER signature is at most 72 bytes (two 33-byte integers plus headers). */
  static final int MAX_SIGNATURE_BYTES = 72;

  private Secp256k1() {}

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  /** (r, s) of a strict DER {@code SEQUENCE { INTEGER r, INTEGER s }}, or null if malformed. */
  static BigInteger[] decodeDer(byte[] sig) {
    if (sig.length > MAX_SIGNATURE_BYTES) return null;
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(sig));
      if (seq.size() != 2) return null;
      BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
      BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
      if (!Arrays.equals(encodeDer(r, s), sig)) return null;
      return new BigInteger[] {r, s};
    } catch (Exception e) {
      return null;
    }
  }

  static byte[] encodeDer(BigInteger r, BigInteger s) {
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
