package dev.weft.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SymmetricStateTest {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 5869 test case 1's PRK/OKM structure does not match Noise's HKDF, so check by definition. */
  @Test void hkdfMatchesItsDefinition() throws Exception {
    byte[] ck = new byte[32];
    byte[] ikm = HEX.parseHex("0102030405");
    byte[][] out = SymmetricState.hkdf(ck, ikm);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(ck, "HmacSHA256"));
    byte[] temp = mac.doFinal(ikm);
    mac.init(new javax.crypto.spec.SecretKeySpec(temp, "HmacSHA256"));
    byte[] o1 = mac.doFinal(new byte[] {1});
    mac.update(o1);
    byte[] o2 = mac.doFinal(new byte[] {2});
    assertThat(out[0]).isEqualTo(o1);
    assertThat(out[1]).isEqualTo(o2);
  }

  @Test void protocolNameOfExactly32BytesIsUsedAsIsForH() {
    SymmetricState s = new SymmetricState(NoiseHandshake.PROTOCOL_NAME);
    assertThat(NoiseHandshake.PROTOCOL_NAME).hasSize(32);
    assertThat(new String(s.handshakeHash())).isEqualTo(NoiseHandshake.PROTOCOL_NAME);
  }

  @Test void nonceIsLittleEndianAfterFourZeroBytes() throws Exception {
    // Encrypt message #1 with our CipherState and compare with the JDK cipher given the nonce
    // laid out by hand: 00000000 || 01 00 00 00 00 00 00 00.
    byte[] key = new byte[32];
    key[0] = 7;
    CipherState cs = new CipherState();
    cs.initializeKey(key);
    cs.encryptWithAd(new byte[0], new byte[] {1});
    byte[] ours = cs.encryptWithAd(new byte[] {9}, new byte[] {1, 2, 3});
    javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("ChaCha20-Poly1305");
    byte[] iv = new byte[12];
    iv[4] = 1;
    c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "ChaCha20"), new javax.crypto.spec.IvParameterSpec(iv));
    c.updateAAD(new byte[] {9});
    assertThat(ours).isEqualTo(c.doFinal(new byte[] {1, 2, 3}));
  }
}
