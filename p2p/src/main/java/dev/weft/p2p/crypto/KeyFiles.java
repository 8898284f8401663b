package dev.weft.p2p.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Private keys on disk: the file holds the libp2p {@code PrivateKey} protobuf (the format other
 * libp2p implementations store), readable and writable by the owner only (0600). Saving writes a
 * temporary file with those permissions from the start and renames it into place, so a crash
 * never leaves a half-written or briefly world-readable key. Blocking; call off event loops.
 */
public final class KeyFiles {
  /** Owner read/write only. */
  public static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private KeyFiles() {}

  /** A key file that cannot be used: missing, unreadable, corrupt or readable by others. */
  public static final class KeyFileException extends IOException {
    public KeyFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Writes {@code key} to a new file; fails with {@link FileAlreadyExistsException} if it exists. */
  public static void save(PrivKey key, Path file) throws IOException {
    save(key, file, false);
  }

  /** Writes {@code key} to {@code file} (0600), atomically replacing it when {@code overwrite}. */
  public static void save(PrivKey key, Path file, boolean overwrite) throws IOException {
    Path abs = file.toAbsolutePath();
    if (!overwrite && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) throw new FileAlreadyExistsException(file.toString(), null, "key file already exists");
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = createPrivateTemp(dir, abs.getFileName().toString());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(key.marshal());
        while (buf.hasRemaining()) ch.write(buf);
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path createPrivateTemp(Path dir, String name) throws IOException {
    try {
      return Files.createTempFile(dir, "." + name + ".", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException e) {
      return Files.createTempFile(dir, "." + name + ".", ".tmp"); // not POSIX (Windows): ACLs apply
    }
  }

  /**
   * Reads a key written by {@link #save} (or any libp2p {@code PrivateKey} protobuf file).
   *
   * @throws KeyFileException if the file is missing, unreadable, readable or writable by group or
   *     others, larger than a key can be, or does not hold a valid key; the message names the file
   *     and the reason
   * @throws IOException on other I/O failures
   */
  public static PrivKey load(Path file) throws IOException {
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      throw new KeyFileException("key file " + file + " not found", e);
    } catch (AccessDeniedException e) {
      throw new KeyFileException("key file " + file + ": permission denied", e);
    }
  }

  private static PrivKey read(Path file) throws IOException {
    if (Files.isDirectory(file)) throw new KeyFileException("key file " + file + " is a directory, not a key", null);
    checkPermissions(file);
    long size = Files.size(file);
    if (size > Keys.MAX_KEY_PROTOBUF_BYTES) {
      throw new KeyFileException("key file " + file + " is " + size + " bytes, larger than any key (" + Keys.MAX_KEY_PROTOBUF_BYTES + ")", null);
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return Keys.unmarshalPrivateKey(bytes);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("key file " + file + " is corrupt: " + e.getMessage(), e);
    }
  }

  private static void checkPermissions(Path file) throws IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return;
    }
    Set<PosixFilePermission> exposed = EnumSet.copyOf(GROUP_OR_OTHER);
    exposed.retainAll(perms);
    if (!exposed.isEmpty()) {
      throw new KeyFileException("key file " + file + " has permissions " + PosixFilePermissions.toString(perms)
          + "; a private key must be accessible by its owner only (chmod 600)", null);
    }
  }
}
