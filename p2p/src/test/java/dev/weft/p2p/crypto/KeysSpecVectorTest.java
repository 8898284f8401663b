package dev.weft.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * peer-ids.md test vectors: each private key unmarshals, yields exactly the vector's public key
 * ("implementations SHOULD check that they can produce the provided public key from the private
 * key"), re-marshals byte for byte, and signs something its public key verifies.
 */
class KeysSpecVectorTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ED25519", "SECP256K1", "ECDSA", "RSA"})
  void privateKeyProducesPublicKey(KeyType type) {
    String priv = switch (type) {
      case ED25519 -> SpecVectors.ED25519_PRIVATE;
      case SECP256K1 -> SpecVectors.SECP256K1_PRIVATE;
      case ECDSA -> SpecVectors.ECDSA_PRIVATE;
      case RSA -> SpecVectors.RSA_PRIVATE;
    };
    String pub = switch (type) {
      case ED25519 -> SpecVectors.ED25519_PUBLIC;
      case SECP256K1 -> SpecVectors.SECP256K1_PUBLIC;
      case ECDSA -> SpecVectors.ECDSA_PUBLIC;
      case RSA -> SpecVectors.RSA_PUBLIC;
    };
    PrivKey privKey = Keys.unmarshalPrivateKey(hex(priv));
    PubKey pubKey = Keys.unmarshalPublicKey(hex(pub));
    assertThat(privKey.type()).isEqualTo(type);
    assertThat(pubKey.type()).isEqualTo(type);
    assertThat(privKey.marshal()).isEqualTo(hex(priv));
    assertThat(pubKey.marshal()).isEqualTo(hex(pub));
    assertThat(privKey.publicKey().marshal()).isEqualTo(hex(pub));
    assertThat(privKey.publicKey()).isEqualTo(pubKey);

    byte[] msg = "weft signs this".getBytes(StandardCharsets.UTF_8);
    byte[] sig = privKey.sign(msg);
    assertThat(pubKey.verify(msg, sig)).isTrue();
    assertThat(pubKey.verify("weft signs that".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    sig[sig.length / 2] ^= 1;
    assertThat(pubKey.verify(msg, sig)).isFalse();

    PeerId id = PeerId.fromPublicKey(pubKey);
    boolean inlined = hex(pub).length <= PeerId.MAX_INLINE_KEY_LENGTH;
    assertThat(id.inlinedPublicKey() != null).isEqualTo(inlined);
    assertThat(id.publicKey()).isEqualTo(inlined ? java.util.Optional.of(pubKey) : java.util.Optional.empty());
    assertThat(id.matches(pubKey)).isTrue();
  }
}
