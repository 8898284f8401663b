package dev.weft.node.train.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes checkpoints atomically (temporary file in the same folder, fsync, rename over the target,
 * fsync the folder) so a crash leaves either the old file or the new one, never half of one; reads
 * them with {@link CheckpointCodec}'s validation.
 */
public final class CheckpointFiles {
  private CheckpointFiles() {}

  public static void write(Path target, Checkpoint c) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] bytes = CheckpointCodec.encode(c);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("file system cannot rename atomically in " + dir, e);
      }
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException e) {
        // Some file systems cannot open a directory for fsync; the rename itself is still atomic.
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static Checkpoint read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > CheckpointCodec.MAX_CHECKPOINT_BYTES) throw new CorruptCheckpointException(file + ": " + size + " bytes, larger than accepted");
    return CheckpointCodec.decode(Files.readAllBytes(file));
  }
}
