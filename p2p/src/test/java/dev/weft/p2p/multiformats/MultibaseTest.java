package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 4648 section 10 vectors, and the multibase prefixes. */
class MultibaseTest {
  @ParameterizedTest
  @CsvSource({"'',''", "f,my", "fo,mzxq", "foo,mzxw6", "foob,mzxw6yq", "fooba,mzxw6ytb", "foobar,mzxw6ytboi"})
  void base32Rfc4648(String plain, String encoded) {
    byte[] data = plain.getBytes(StandardCharsets.US_ASCII);
    assertThat(Multibase.encode(Multibase.Base.BASE32, data)).isEqualTo("b" + encoded);
    assertThat(Multibase.decode("b" + encoded)).isEqualTo(data);
    assertThat(Multibase.decode("B" + encoded.toUpperCase())).isEqualTo(data);
  }

  @ParameterizedTest
  @CsvSource({"f,Zg,Zg==", "fo,Zm8,Zm8=", "foo,Zm9v,Zm9v", "foobar,Zm9vYmFy,Zm9vYmFy"})
  void base64Rfc4648(String plain, String unpadded, String padded) {
    byte[] data = plain.getBytes(StandardCharsets.US_ASCII);
    assertThat(Multibase.encode(Multibase.Base.BASE64, data)).isEqualTo("m" + unpadded);
    assertThat(Multibase.encode(Multibase.Base.BASE64_PAD, data)).isEqualTo("M" + padded);
    assertThat(Multibase.decode("m" + unpadded)).isEqualTo(data);
    assertThat(Multibase.decode("M" + padded)).isEqualTo(data);
    assertThat(Multibase.decode("u" + unpadded)).isEqualTo(data);
  }

  @Test
  void base16AndBase58() {
    byte[] data = {0, 1, (byte) 0xab};
    assertThat(Multibase.encode(Multibase.Base.BASE16, data)).isEqualTo("f0001ab");
    assertThat(Multibase.decode("F0001AB")).isEqualTo(data);
    assertThat(Multibase.encode(Multibase.Base.BASE58BTC, "Hello World!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("z2NEpo7TZRRrLZSi2U");
    assertThat(Multibase.decode("z2NEpo7TZRRrLZSi2U")).isEqualTo("Hello World!".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> Multibase.decode("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("q123")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
    assertThatThrownBy(() -> Multibase.decode("bMZXW6")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("bmzxw7")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
    assertThatThrownBy(() -> Multibase.decode("ba")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    assertThatThrownBy(() -> Multibase.decode("f0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("fAB")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("mZg==")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("MZg")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("m*abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decode("b" + "a".repeat(Multibase.MAX_DECODE_CHARS + 8))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
  }
}
