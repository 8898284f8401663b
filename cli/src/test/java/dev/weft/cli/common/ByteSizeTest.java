package dev.weft.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ByteSizeTest {
  @Test
  void unitsAndPlainNumbers() {
    assertThat(ByteSize.parse("4096")).isEqualTo(4096);
    assertThat(ByteSize.parse("10MiB")).isEqualTo(10L << 20);
    assertThat(ByteSize.parse("10mib")).isEqualTo(10L << 20);
    assertThat(ByteSize.parse("1GB")).isEqualTo(1_000_000_000L);
    assertThat(ByteSize.parse("1.5GiB")).isEqualTo(3L << 29);
    assertThat(ByteSize.parse("64k")).isEqualTo(65536);
    assertThat(ByteSize.parse("2 kB")).isEqualTo(2000);
    assertThat(ByteSize.parse("0")).isZero();
    assertThat(ByteSize.parse("7B")).isEqualTo(7);
  }

  @Test
  void mistakesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> ByteSize.parse("10XB")).isInstanceOf(TypeConversionException.class).hasMessageContaining("unknown unit");
    assertThatThrownBy(() -> ByteSize.parse("MiB")).hasMessageContaining("not a size");
    assertThatThrownBy(() -> ByteSize.parse("1.5")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> ByteSize.parse("2048TiB")).hasMessageContaining("maximum");
    assertThatThrownBy(() -> ByteSize.parse("1.2.3MB")).hasMessageContaining("not a size");
    assertThatThrownBy(() -> ByteSize.parse("-5")).hasMessageContaining("not a size");
  }

  @Test
  void formatsForPeople() {
    assertThat(ByteSize.format(512)).isEqualTo("512 B");
    assertThat(ByteSize.format(10L << 20)).isEqualTo("10.0 MiB");
    assertThat(ByteSize.format(300L << 30)).isEqualTo("300 GiB");
  }
}
