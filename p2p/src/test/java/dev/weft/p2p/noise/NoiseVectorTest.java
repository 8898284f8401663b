package dev.weft.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PrivKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full XX transcript with fixed keys, against vectors computed by an independent implementation:
 * a short Python script written from noise.md and the libp2p Noise spec on pyca/cryptography
 * (X25519, ChaCha20Poly1305, Ed25519) with hashlib/hmac, and a hand-written protobuf encoding of
 * the payload (kept as {@code noise_xx_vectors.py} next to this test in the test resources;
 * {@code python3 noise_xx_vectors.py} prints the vectors). Identities are the {@code --seed 1} / {@code --seed 2} test keys; static keys are
 * 0x11.. and 0x22..; ephemerals 0x33.. (initiator) and 0x44.. (responder).
 */
class NoiseVectorTest {
  private static final HexFormat HEX = HexFormat.of();
  static final String M1 = "7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14";
  static final String M2 = "ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6bfcadb15080d9fd0434a18565751d3b60"
        + "22bec571f33b6212486a1bffa54d1a1ee7712455070d4e3666e35c1eca6c109ed4e7d1b5c88b2641d0c74477ed7dcb57"
        + "a7137a28d139e4183ae91886a55848cdf06f8e998007a5265e133759bed7e927c27c9b0f204071c63162e20f86be309b"
        + "9438bc90e50d38a5aede463b53ec7682929395d798807ef88adbae9aab573967be7b4db1ead9a6d7acf2365a8c57d730"
        + "cbff4ff1920ce3c728ed6ef0facbd2a7790fd2f5fd1c90b7";
  static final String M3 = "a7ea7dd47dddbcfcd736b91b174c6107b2ad26c161965a119a7b644e0c6b3d06a4dc8d9bbaba5fb26bc14e1dcd131ddd"
        + "7b9e4620d57d7a0a78ed346ddc9f5b14ce75f02d347dc678fa8b253079ff21ae37e5db7ebdcbd95bc35846033cbf8b3f"
        + "31f03254f8de5895d064e5acffed34f5a529c4c5f2498c5881a602978348c5fec2f1ff530f94c6d77d453c8a656a6fac"
        + "6b885b997b014ec41f922b4ac4def4088ea98448d7f9ec924f899a3e5fc287f392d1c7466450d8d0";
  /** The initiator's first transport message: "hello from the initiator". */
  static final String T1 = "ba55be97fa519a5e780e29150c2254ac111d36a4b681a672e27d9c972e88839b37d4e5966991665c";
  static final String H = "e04d6feb54d606014ec18860204b370e2146d0844e44b333ccda5ab84278f9ed";

  /** A "random" source that hands out one fixed value: the ephemeral key. */
  private static SecureRandom fixed(int b) {
    return new SecureRandom() {
      @Override public void nextBytes(byte[] bytes) {
        Arrays.fill(bytes, (byte) b);
      }
    };
  }

  private static byte[] filled(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    return k;
  }

  @Test void transcriptMatchesTheIndependentImplementation() throws Exception {
    PrivKey alice = Ed25519.fromSeedNumber(1);
    PrivKey bob = Ed25519.fromSeedNumber(2);
    NoiseHandshake i = new NoiseHandshake(true, alice, X25519KeyPair.fromPrivate(filled(0x11)), fixed(0x33),
        List.of("/yamux/1.0.0"), null, Keys::unmarshalPublicKey);
    NoiseHandshake r = new NoiseHandshake(false, bob, X25519KeyPair.fromPrivate(filled(0x22)), fixed(0x44),
        List.of("/yamux/1.0.0"), null, Keys::unmarshalPublicKey);
    byte[] m1 = i.writeMessage();
    assertThat(HEX.formatHex(m1)).isEqualTo(M1);
    r.readMessage(m1);
    byte[] m2 = r.writeMessage();
    assertThat(HEX.formatHex(m2)).isEqualTo(M2);
    i.readMessage(m2);
    byte[] m3 = i.writeMessage();
    assertThat(HEX.formatHex(m3)).isEqualTo(M3);
    r.readMessage(m3);
    assertThat(HEX.formatHex(i.handshakeHash())).isEqualTo(H);

    byte[] plain = "hello from the initiator".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] buf = Arrays.copyOf(plain, plain.length + CipherState.TAG_LENGTH);
    i.session().sender().encryptInPlace(buf, 0, plain.length);
    assertThat(HEX.formatHex(buf)).isEqualTo(T1);
    byte[] out = new byte[plain.length];
    r.session().receiver().decrypt(buf, 0, buf.length, out, 0);
    assertThat(out).isEqualTo(plain);
  }
}
