package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vectors from specs/multiformats/unsigned-varint.md. */
class VarintTest {
  @ParameterizedTest
  @CsvSource({"1,01", "127,7f", "128,8001", "255,ff01", "300,ac02", "16384,808001"})
  void specExamples(long value, String hex) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    assertThat(Varint.encode(value)).isEqualTo(bytes);
    assertThat(Varint.decode(bytes, 0)).isEqualTo(new Varint.Decoded(value, bytes.length));
    assertThat(Varint.size(value)).isEqualTo(bytes.length);
  }

  @Test
  void zeroIsOneByte() {
    assertThat(Varint.encode(0)).containsExactly(0);
  }

  @Test
  void rejectsNonMinimalEncoding() {
    // The spec's own example: 0x81 0x00 is a valid Go varint for 1 but not minimal.
    assertThatThrownBy(() -> Varint.decode(new byte[] {(byte) 0x81, 0x00}, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimal");
  }

  @Test
  void rejectsTruncated() {
    assertThatThrownBy(() -> Varint.decode(new byte[] {(byte) 0x80}, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Varint.decode(new byte[0], 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void practicalMaximumIsNineBytes() {
    assertThat(Varint.encode(Long.MAX_VALUE)).hasSize(9);
    assertThat(Varint.decode(Varint.encode(Long.MAX_VALUE), 0).value()).isEqualTo(Long.MAX_VALUE);
    byte[] ten = HexFormat.of().parseHex("ffffffffffffffffff01");
    assertThatThrownBy(() -> Varint.decode(ten, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9 bytes");
  }

  @Test
  void rejectsNegative() {
    assertThatThrownBy(() -> Varint.encode(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decodesAtOffset() {
    byte[] b = HexFormat.of().parseHex("ff" + "ac02" + "ff");
    assertThat(Varint.decode(b, 1)).isEqualTo(new Varint.Decoded(300, 2));
  }
}
