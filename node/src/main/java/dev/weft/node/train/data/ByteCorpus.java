package dev.weft.node.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a training text: any UTF-8 file, read as bytes (the models are byte-level). */
public final class ByteCorpus {
  /** Largest file accepted: the corpus is held in memory. */
  public static final long MAX_BYTES = 1L << 30;
  /** Smallest useful corpus: a few windows of the default context. */
  public static final int MIN_BYTES = 1024;

  private ByteCorpus() {}

  /** Reads and validates {@code file}; fails with {@link CorruptDataException} naming the problem. */
  public static byte[] read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) throw new CorruptDataException(file + ": " + size + " bytes, more than the " + MAX_BYTES + " accepted");
    byte[] data;
    try (InputStream in = Files.newInputStream(file)) {
      data = in.readNBytes((int) size + 1);
    }
    if (data.length != size) throw new CorruptDataException(file + ": changed while being read");
    validate(data, file.toString());
    return data;
  }

  /** Rejects data that is too short or not valid UTF-8 (binary files, other encodings). */
  public static void validate(byte[] data, String what) {
    if (data.length < MIN_BYTES) throw new CorruptDataException(what + ": " + data.length + " bytes, need at least " + MIN_BYTES);
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data));
    } catch (CharacterCodingException e) {
      throw new CorruptDataException(what + ": not valid UTF-8 text (" + e.getMessage() + ")");
    }
  }
}
