package dev.weft.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Strict, deterministic decoding of the key protobufs (peer ids hash their bytes). */
class KeysTest {
  private static final byte[] ED_PUB = HexFormat.of().parseHex(SpecVectors.ED25519_PUBLIC);

  @Test
  void rejectsFieldsOutOfOrder() {
    byte[] swapped = new byte[ED_PUB.length];
    System.arraycopy(ED_PUB, 2, swapped, 0, ED_PUB.length - 2);
    swapped[ED_PUB.length - 2] = 0x08;
    swapped[ED_PUB.length - 1] = 0x01;
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(swapped)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deterministic");
  }

  @Test
  void rejectsExtraFieldsAndTrailingBytes() {
    byte[] extra = java.util.Arrays.copyOf(ED_PUB, ED_PUB.length + 2);
    extra[ED_PUB.length] = 0x18; // field 3, varint
    extra[ED_PUB.length + 1] = 0x01;
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(extra)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNonMinimalVarints() {
    byte[] nonMinimal = new byte[ED_PUB.length + 1];
    nonMinimal[0] = 0x08;
    nonMinimal[1] = (byte) 0x81;
    nonMinimal[2] = 0x00;
    System.arraycopy(ED_PUB, 2, nonMinimal, 3, ED_PUB.length - 2);
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(nonMinimal)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsMissingFieldsUnknownTypesAndGarbage() {
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(new byte[] {0x08, 0x01})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(new byte[] {0x08, 0x09, 0x12, 0x00})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(new byte[] {(byte) 0xff, (byte) 0xff})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(new byte[] {0x08, 0x01, 0x12, 0x01, 0x00})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(new byte[Keys.MAX_KEY_PROTOBUF_BYTES + 1])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer");
  }

  @Test
  void inconsistentRsaPrivateKeyIsRefusedAtLoad() {
    // found by KeysFuzzTest: a corrupted CRT coefficient parsed fine and failed at the first signature
    byte[] corrupt = HexFormat.of().parseHex(SpecVectors.RSA_PRIVATE);
    corrupt[corrupt.length - 2] ^= 0x55;
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(corrupt)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inconsistent RSA private key");
  }

  @Test
  void ecdsaPrivateKeyWithForeignEmbeddedPublicKeyIsRefused() {
    byte[] corrupt = HexFormat.of().parseHex(SpecVectors.ECDSA_PRIVATE);
    corrupt[corrupt.length - 1] ^= 1; // last byte of the embedded public point
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(corrupt)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
  }

  @Test
  void privateKeyRangeChecks() {
    byte[] zero = Keys.marshalPrivate(KeyType.SECP256K1, new byte[32]);
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(zero)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("range");
    byte[] max = new byte[32];
    java.util.Arrays.fill(max, (byte) 0xff);
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(Keys.marshalPrivate(KeyType.SECP256K1, max))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(Keys.marshalPrivate(KeyType.ECDSA, new byte[] {0x30, 0x00}))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(Keys.marshalPrivate(KeyType.RSA, new byte[] {0x30, 0x00}))).isInstanceOf(IllegalArgumentException.class);
  }
}
