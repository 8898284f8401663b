package dev.weft.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys a remote peer may present, signed by independent code (JDK, Bouncy Castle) and verified by ours. */
class SignatureVerificationTest {
  private static final byte[] MSG = "noise-libp2p-static-key:".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void ed25519Rfc8032Test1() {
    // RFC 8032 section 7.1, TEST 1 (empty message).
    Ed25519PrivKey key = Ed25519.fromSeed(HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(HexFormat.of().formatHex(key.publicKey().raw())).isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] sig = key.sign(new byte[0]);
    assertThat(HexFormat.of().formatHex(sig)).isEqualTo(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(key.publicKey().verify(new byte[0], sig)).isTrue();
    assertThat(key.publicKey().verify(new byte[1], sig)).isFalse();
    assertThat(key.publicKey().verify(new byte[0], new byte[3])).isFalse();
    assertThat(key.publicKey().verify(new byte[0], new byte[64])).isFalse();
  }

  @Test
  void ecdsaP256SignedByJdk() throws Exception {
    for (String curve : new String[] {"secp256r1", "secp384r1", "secp521r1"}) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve), RANDOM);
      KeyPair kp = g.generateKeyPair();
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(kp.getPrivate());
      s.update(MSG);
      byte[] sig = s.sign();
      PubKey pub = Keys.publicKey(KeyType.ECDSA, kp.getPublic().getEncoded());
      assertThat(pub.verify(MSG, sig)).as(curve).isTrue();
      assertThat(pub.verify(new byte[] {1}, sig)).as(curve).isFalse();
      assertThat(pub.verify(MSG, new byte[] {0x30, 0})).as(curve).isFalse();
      assertThat(Keys.unmarshalPublicKey(pub.marshal())).isEqualTo(pub);
      assertThat(pub.marshal().length).isGreaterThan(42); // peer id is a sha256 hash
    }
  }

  @Test
  void rsaSignedByJdkAndSizeLimits() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    KeyPair kp = g.generateKeyPair();
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(kp.getPrivate());
    s.update(MSG);
    byte[] sig = s.sign();
    PubKey pub = Keys.publicKey(KeyType.RSA, kp.getPublic().getEncoded());
    assertThat(pub.verify(MSG, sig)).isTrue();
    assertThat(pub.verify(MSG, new byte[256])).isFalse();
    assertThat(pub.verify(MSG, new byte[0])).isFalse();

    g.initialize(1024, RANDOM);
    byte[] small = g.generateKeyPair().getPublic().getEncoded();
    assertThatThrownBy(() -> Keys.publicKey(KeyType.RSA, small)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
  }

  @Test
  void secp256k1SignedByBouncyCastle() {
    ECKeyPairGenerator g = new ECKeyPairGenerator();
    g.init(new ECKeyGenerationParameters(Secp256k1.DOMAIN, RANDOM));
    AsymmetricCipherKeyPair kp = g.generateKeyPair();
    ECPublicKeyParameters bcPub = (ECPublicKeyParameters) kp.getPublic();
    ECDSASigner signer = new ECDSASigner();
    signer.init(true, kp.getPrivate());
    BigInteger[] rs = signer.generateSignature(sha256(MSG));
    byte[] der = der(rs[0], rs[1]);
    PubKey pub = Keys.publicKey(KeyType.SECP256K1, bcPub.getQ().getEncoded(true));
    assertThat(pub.verify(MSG, der)).isTrue();
    // high-S and low-S forms are both valid ECDSA
    assertThat(pub.verify(MSG, der(rs[0], Secp256k1.DOMAIN.getN().subtract(rs[1])))).isTrue();
    assertThat(pub.verify(new byte[] {1}, der)).isFalse();
    assertThat(pub.verify(MSG, der(rs[0], BigInteger.ZERO))).isFalse();
    assertThat(pub.verify(MSG, der(rs[0], Secp256k1.DOMAIN.getN()))).isFalse();
    // the same signature with a non-minimal (BER) length is refused
    byte[] ber = new byte[der.length + 1];
    ber[0] = 0x30;
    ber[1] = (byte) 0x81;
    System.arraycopy(der, 1, ber, 2, der.length - 1);
    assertThat(pub.verify(MSG, ber)).isFalse();
    assertThat(pub.marshal()).hasSize(37); // inlined in the peer id

    Secp256k1PrivKey ours = Secp256k1PrivKey.fromData(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, ((ECPrivateKeyParameters) kp.getPrivate()).getD()));
    assertThat(ours.publicKey()).isEqualTo(pub);
    byte[] oursSig = ours.sign(MSG);
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, bcPub);
    BigInteger[] back = Secp256k1.decodeDer(oursSig);
    assertThat(verifier.verifySignature(sha256(MSG), back[0], back[1])).isTrue();
    assertThat(back[1].compareTo(Secp256k1.DOMAIN.getN().shiftRight(1))).isLessThanOrEqualTo(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "02", "04", "0279be667ef9c8", "05aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "04aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void secp256k1RejectsMalformedKeys(String hex) {
    assertThatThrownBy(() -> Keys.publicKey(KeyType.SECP256K1, HexFormat.of().parseHex(hex))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secp256k1RejectsPointNotOnCurve() {
    byte[] x = new byte[33];
    x[0] = 2;
    x[32] = 5; // x = 5: x^3 + 7 = 132 is not a square mod p
    assertThatThrownBy(() -> Keys.publicKey(KeyType.SECP256K1, x)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ed25519RejectsWrongSizes() {
    assertThatThrownBy(() -> Keys.publicKey(KeyType.ED25519, new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.publicKey(KeyType.ED25519, new byte[33])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pkixKeysMustBeCanonicalDer() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    byte[] der = g.generateKeyPair().getPublic().getEncoded();
    byte[] trailing = java.util.Arrays.copyOf(der, der.length + 1);
    assertThatThrownBy(() -> Keys.publicKey(KeyType.ECDSA, trailing)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.publicKey(KeyType.ECDSA, new byte[] {0x30, 0})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.publicKey(KeyType.RSA, der)).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] der(BigInteger r, BigInteger s) {
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
