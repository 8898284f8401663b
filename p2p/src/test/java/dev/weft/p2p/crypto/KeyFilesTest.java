package dev.weft.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  @TempDir Path dir;

  @Test
  void savedFileIsOwnerOnlyAndLoadsBack() throws Exception {
    Ed25519PrivKey key = Ed25519.fromSeedNumber(3);
    Path file = dir.resolve("sub/node.key");
    KeyFiles.save(key, file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readAllBytes(file)).isEqualTo(key.marshal());
    assertThat(KeyFiles.load(file)).isEqualTo(key);
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void refusesToOverwriteUnlessAsked() throws Exception {
    Path file = dir.resolve("node.key");
    KeyFiles.save(Ed25519.fromSeedNumber(1), file);
    assertThatThrownBy(() -> KeyFiles.save(Ed25519.fromSeedNumber(2), file)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(KeyFiles.load(file)).isEqualTo(Ed25519.fromSeedNumber(1));
    KeyFiles.save(Ed25519.fromSeedNumber(2), file, true);
    assertThat(KeyFiles.load(file)).isEqualTo(Ed25519.fromSeedNumber(2));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void corruptFileFailsClearly() throws Exception {
    Path file = dir.resolve("bad.key");
    KeyFiles.save(Ed25519.fromSeedNumber(1), file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    assertThatThrownBy(() -> KeyFiles.load(file)).isInstanceOf(KeyFiles.KeyFileException.class).hasMessageContaining("corrupt").hasMessageContaining(file.toString());
    Files.write(file, "not a key at all\n".getBytes());
    assertThatThrownBy(() -> KeyFiles.load(file)).isInstanceOf(KeyFiles.KeyFileException.class).hasMessageContaining("corrupt");
  }

  @Test
  void oversizedFileIsRefusedBeforeReading() throws Exception {
    Path file = dir.resolve("huge.key");
    Files.write(file, new byte[Keys.MAX_KEY_PROTOBUF_BYTES + 1]);
    Files.setPosixFilePermissions(file, KeyFiles.OWNER_ONLY);
    assertThatThrownBy(() -> KeyFiles.load(file)).isInstanceOf(KeyFiles.KeyFileException.class).hasMessageContaining("larger");
  }

  @Test
  void worldReadableKeyIsRefused() throws Exception {
    Path file = dir.resolve("open.key");
    KeyFiles.save(Ed25519.fromSeedNumber(1), file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> KeyFiles.load(file)).isInstanceOf(KeyFiles.KeyFileException.class).hasMessageContaining("chmod 600");
  }

  @Test
  void missingFileIsReportedByName() {
    Path absent = dir.resolve("absent.key");
    assertThatThrownBy(() -> KeyFiles.load(absent)).isInstanceOf(KeyFiles.KeyFileException.class).hasMessage("key file " + absent + " not found");
  }
}
