package dev.weft.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file error names the file and the reason, whatever the JDK put in its message. */
class ErrorsTest {
  @TempDir Path dir;

  @Test
  void jdkMessagesThatGiveOnlyOneHalfAreCompleted() {
    assertThat(Errors.describe(new NoSuchFileException("my.txt"))).isEqualTo("my.txt: no such file or directory");
    assertThat(Errors.describe(new CompletionException(new NoSuchFileException("a")))).isEqualTo("a: no such file or directory");
    assertThat(Errors.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  @Test
  void readFileNamesRoleFileAndReason() throws IOException {
    assertThatThrownBy(() -> Errors.readFile("data", dir, 100))
        .hasMessage("cannot read data file " + dir + ": is a directory");
    assertThatThrownBy(() -> Errors.readFile("data", dir.resolve("nope.txt"), 100))
        .hasMessage("cannot read data file " + dir.resolve("nope.txt") + ": no such file or directory");
    Path big = dir.resolve("big.txt");
    Files.write(big, new byte[200]);
    assertThatThrownBy(() -> Errors.readFile("data", big, 100)).hasMessageContaining(big.toString()).hasMessageContaining("limit");
    assertThat(Errors.readFile("data", big, 1000)).hasSize(200);
  }

  @Test
  void aBareIoExceptionOnADirectoryIsRewordedWithThePath() {
    String m = Errors.file("read", "data", dir, new IOException("Is a directory")).getMessage();
    assertThat(m).isEqualTo("cannot read data file " + dir + ": is a directory");
  }
}
