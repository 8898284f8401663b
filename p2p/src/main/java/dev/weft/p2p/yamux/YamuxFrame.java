package dev.weft.p2p.yamux;

import io.netty.buffer.ByteBuf;

/**
 * Yamux frame constants and the 12-byte header (yamux/README.md#framing): version (8 bits), type
 * (8), flags (16), stream id (32), length (32), all big-endian. Stateless.
 */
public final class YamuxFrame {
  public static final String PROTOCOL_ID = "/yamux/1.0.0";
  public static final int HEADER_LENGTH = 12;
  public static final int VERSION = 0;

  public static final int TYPE_DATA = 0;
  public static final int TYPE_WINDOW_UPDATE = 1;
  public static final int TYPE_PING = 2;
  public static final int TYPE_GO_AWAY = 3;

  public static final int FLAG_SYN = 0x1;
  public static final int FLAG_ACK = 0x2;
  public static final int FLAG_FIN = 0x4;
  public static final int FLAG_RST = 0x8;
  private static final int KNOWN_FLAGS = FLAG_SYN | FLAG_ACK | FLAG_FIN | FLAG_RST;

  public static final int GO_AWAY_NORMAL = 0;
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  private YamuxFrame() {}

  /**
   * A decoded header. {@code streamId} and {@code length} are unsigned 32-bit values held in
   * wider types; {@code length} is the payload size (Data), window delta (Window Update), opaque
   * value (Ping) or error code (Go Away).
   */
  public record Header(int type, int flags, long streamId, long length) {
    public boolean has(int flag) {
      return (flags & flag) != 0;
    }

    @Override public String toString() {
      String[] names = {"DATA", "WINDOW_UPDATE", "PING", "GO_AWAY"};
      return names[type] + "(stream=" + streamId + ", flags=0x" + Integer.toHexString(flags) + ", length=" + length + ")";
    }
  }

  public static void writeHeader(ByteBuf out, int type, int flags, long streamId, long length) {
    out.writeByte(VERSION);
    out.writeByte(type);
    out.writeShort(flags);
    out.writeInt((int) streamId);
    out.writeInt((int) length);
  }

  /**
   * Parses a header from 12 readable bytes at {@code in}'s reader index, advancing past them.
   *
   * @throws YamuxException on a version other than 0, an unknown type or unknown flags
   */
  public static Header readHeader(ByteBuf in) throws YamuxException {
    int version = in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedShort();
    long streamId = in.readUnsignedInt();
    long length = in.readUnsignedInt();
    if (version != VERSION) throw new YamuxException("unsupported yamux version " + version);
    if (type > TYPE_GO_AWAY) throw new YamuxException("unknown frame type " + type);
    if ((flags & ~KNOWN_FLAGS) != 0) throw new YamuxException("unknown flags 0x" + Integer.toHexString(flags));
    return new Header(type, flags, streamId, length);
  }
}
