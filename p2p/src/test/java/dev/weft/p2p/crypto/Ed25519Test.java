package dev.weft.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.PeerId;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  @Test
  void seedNumberLayout() {
    Ed25519PrivKey k = Ed25519.fromSeedNumber(0x0102030405060708L);
    byte[] seed = k.seed();
    assertThat(Arrays.copyOf(seed, 24)).containsOnly(0);
    assertThat(Arrays.copyOfRange(seed, 24, 32)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(Ed25519.fromSeedNumber(0x0102030405060708L)).isEqualTo(k);
    assertThat(Ed25519.fromSeedNumber(1)).isNotEqualTo(k);
  }

  @Test
  void allZeroSeedIsTheKnownKey() {
    // The public key of the all-zero Ed25519 seed, as every RFC 8032 implementation derives it.
    assertThat(HexFormat.of().formatHex(Ed25519.fromSeedNumber(0).publicKey().raw()))
        .isEqualTo("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
  }

  @Test
  void marshalsSeedThenPublicKey() {
    Ed25519PrivKey k = Ed25519.generate(new SecureRandom());
    byte[] m = k.marshal();
    assertThat(m).hasSize(4 + 64);
    assertThat(Arrays.copyOfRange(m, 0, 4)).containsExactly(0x08, 0x01, 0x12, 0x40);
    assertThat(Arrays.copyOfRange(m, 4, 36)).isEqualTo(k.seed());
    assertThat(Arrays.copyOfRange(m, 36, 68)).isEqualTo(k.publicKey().raw());
    assertThat(Keys.unmarshalPrivateKey(m)).isEqualTo(k);
    assertThat(k.publicKey().marshal()).hasSize(36);
    assertThat(PeerId.fromPublicKey(k.publicKey()).toBase58()).startsWith("12D3KooW");
  }

  @Test
  void acceptsSeedOnlyAndLegacyFormats() {
    Ed25519PrivKey k = Ed25519.fromSeedNumber(42);
    byte[] seed = k.seed();
    byte[] pub = k.publicKey().raw();
    assertThat(Ed25519PrivKey.fromData(seed)).isEqualTo(k);
    byte[] legacy = new byte[96];
    System.arraycopy(seed, 0, legacy, 0, 32);
    System.arraycopy(pub, 0, legacy, 32, 32);
    System.arraycopy(pub, 0, legacy, 64, 32);
    assertThat(Ed25519PrivKey.fromData(legacy)).isEqualTo(k);
    legacy[95] ^= 1;
    assertThatThrownBy(() -> Ed25519PrivKey.fromData(legacy)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    byte[] wrongPub = Arrays.copyOf(k.marshal(), 68);
    wrongPub[67] ^= 1;
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(wrongPub)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    assertThatThrownBy(() -> Ed25519PrivKey.fromData(new byte[48])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringHidesTheSeed() {
    Ed25519PrivKey k = Ed25519.fromSeedNumber(5);
    assertThat(k.toString()).doesNotContain(HexFormat.of().formatHex(k.seed()));
  }

  @Test
  void signVerifyRoundTrip() {
    Ed25519PrivKey k = Ed25519.generate(new SecureRandom());
    byte[] msg = {1, 2, 3};
    byte[] sig = k.sign(msg);
    assertThat(k.publicKey().verify(msg, sig)).isTrue();
    assertThat(Ed25519.fromSeedNumber(1).publicKey().verify(msg, sig)).isFalse();
  }
}
