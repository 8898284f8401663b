package dev.weft.p2p.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * multistream-select 1.0 messages (connections/README.md#multistream-select): an unsigned varint
 * length, then that many bytes of UTF-8 text, the last of which is {@code '\n'}.
 *
 * <p>Stateless and thread-safe. {@link #decode} never takes ownership of its input.
 */
public final class MultistreamCodec {
  /** The protocol id both sides send first. */
  public static final String PROTOCOL_ID = "/multistream/1.0.0";
  /** "Not available": the answer to a protocol the responder does not speak. */
  public static final String NA = "na";
  /** Asks the responder to list its protocols (optional; we answer {@code na}). */
  public static final String LS = "ls";
  /**
   * Longest message we accept or send, newline included. Protocol ids are short paths; 1 KiB leaves
   * room for long ones while bounding what a peer can make us buffer before a line completes.
   */
  public static final int MAX_MESSAGE_LENGTH = 1024;
  /** A length up to {@link #MAX_MESSAGE_LENGTH} fits in 2 varint bytes; a third means oversized. */
  private static final int MAX_LENGTH_BYTES = 2;

  private MultistreamCodec() {}

  /** Appends {@code message} (without its newline) framed to {@code out}. */
  public static void encode(String message, ByteBuf out) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    int length = text.length + 1;
    if (length > MAX_MESSAGE_LENGTH) {
      throw new IllegalArgumentException("multistream message longer than " + MAX_MESSAGE_LENGTH + " bytes");
    }
    if (message.indexOf('\n') >= 0) throw new IllegalArgumentException("newline inside multistream message");
    writeVarint(length, out);
    out.writeBytes(text);
    out.writeByte('\n');
  }

  /** A new buffer holding {@code messages} framed one after another; the caller owns it. */
  public static ByteBuf encode(ByteBufAllocator alloc, List<String> messages) {
    ByteBuf out = alloc.buffer(messages.size() * 32);
    try {
      for (String m : messages) encode(m, out);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /**
   * Decodes one message from {@code in}, without its newline. Returns null, consuming nothing, if
   * {@code in} does not yet hold a whole message; on success, advances past it.
   *
   * @throws MultistreamException if the message is malformed or longer than the limit
   */
  public static String decode(ByteBuf in) throws MultistreamException {
    int start = in.readerIndex();
    int length = 0;
    int lengthBytes = 0;
    while (true) {
      if (lengthBytes == in.readableBytes()) return null;
      int b = in.getUnsignedByte(start + lengthBytes);
      length |= (b & 0x7F) << (7 * lengthBytes);
      lengthBytes++;
      if ((b & 0x80) == 0) {
        if (b == 0 && lengthBytes > 1) throw new MultistreamException("length varint not minimally encoded");
        break;
      }
      if (lengthBytes == MAX_LENGTH_BYTES) throw new MultistreamException("message longer than " + MAX_MESSAGE_LENGTH + " bytes");
    }
    if (length > MAX_MESSAGE_LENGTH) throw new MultistreamException("message of " + length + " bytes exceeds " + MAX_MESSAGE_LENGTH);
    if (length == 0) throw new MultistreamException("empty message (missing newline)");
    if (in.readableBytes() < lengthBytes + length) return null;
    int textStart = start + lengthBytes;
    if (in.getByte(textStart + length - 1) != '\n') throw new MultistreamException("message does not end with a newline");
    String text = decodeUtf8(in, textStart, length - 1);
    if (text.indexOf('\n') >= 0) throw new MultistreamException("newline inside message");
    in.readerIndex(textStart + length);
    return text;
  }

  private static String decodeUtf8(ByteBuf in, int index, int length) throws MultistreamException {
    byte[] bytes = new byte[length];
    in.getBytes(index, bytes);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MultistreamException("message is not valid UTF-8");
    }
  }

  private static void writeVarint(int value, ByteBuf out) {
    while ((value & ~0x7F) != 0) {
      out.writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }
}
