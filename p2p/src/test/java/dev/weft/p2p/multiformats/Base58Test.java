package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Base58Test {
  @ParameterizedTest
  @CsvSource({
    "'', ''",
    "00, 1",
    "0000, 11",
    "61, 2g",
    "626262, a3gV",
    "636363, aPEr",
    "00000000000000000000, 1111111111",
    "516b6fcd0f, ABnLTmg",
    "572e4794, 3EFU7m",
  })
  void bitcoinVectors(String hex, String text) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    assertThat(Base58.encode(bytes)).isEqualTo(text);
    assertThat(Base58.decode(text)).isEqualTo(bytes);
  }

  @Test
  void helloWorld() {
    assertThat(Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("2NEpo7TZRRrLZSi2U");
  }

  @Test
  void rejectsCharactersOutsideTheAlphabet() {
    for (String bad : new String[] {"0", "O", "I", "l", "+", "é", " 1"}) {
      assertThatThrownBy(() -> Base58.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid base58");
    }
  }

  @Test
  void decodeLengthIsBoundedBecauseTheDecoderIsQuadratic() {
    assertThat(Base58.decode("2".repeat(Base58.MAX_DECODE_CHARS))).isNotEmpty();
    assertThatThrownBy(() -> Base58.decode("2".repeat(Base58.MAX_DECODE_CHARS + 1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
  }
}
