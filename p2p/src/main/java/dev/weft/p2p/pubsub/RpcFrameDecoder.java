package dev.weft.p2p.pubsub;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a pubsub stream into RPC frames: each an unsigned-varint length followed by that many
 * bytes of RPC protobuf (how js and go write them). The length is checked against the limit before
 * any body byte is buffered, so one stream buffers at most {@code maxFrameBytes} plus a prefix.
 *
 * <p>One instance per inbound stream, used on that stream's thread. Copies what it keeps; never
 * retains or releases the buffers it is fed.
 */
public final class RpcFrameDecoder {
  /** A length prefix longer than this cannot describe a frame we accept (2^35 > any limit). */
  static final int MAX_PREFIX_BYTES = 5;

  private final int maxFrameBytes;
  private long pendingLength;
  private int prefixBytes;
  private byte[] body;
  private int filled;

  public RpcFrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes <= 0) throw new IllegalArgumentException("maxFrameBytes must be positive");
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Consumes all readable bytes of {@code data}; returns the frames completed by them (maybe none). */
  public List<byte[]> feed(ByteBuf data) throws MalformedRpcException {
    byte[] copy = new byte[data.readableBytes()];
    data.readBytes(copy);
    return feed(copy, 0, copy.length);
  }

  public List<byte[]> feed(byte[] in, int offset, int length) throws MalformedRpcException {
    List<byte[]> frames = new ArrayList<>(1);
    int i = offset, end = offset + length;
    while (i < end) {
      if (body == null) {
        int b = in[i++] & 0xFF;
        if (++prefixBytes > MAX_PREFIX_BYTES) throw new MalformedRpcException("length prefix longer than " + MAX_PREFIX_BYTES + " bytes");
        pendingLength |= (long) (b & 0x7F) << (7 * (prefixBytes - 1));
        if ((b & 0x80) != 0) continue;
        if (b == 0 && prefixBytes > 1) throw new MalformedRpcException("non-minimal length prefix");
        if (pendingLength > maxFrameBytes) throw new MalformedRpcException("RPC frame of " + pendingLength + " bytes exceeds " + maxFrameBytes);
        body = new byte[(int) pendingLength];
        filled = 0;
        if (body.length == 0) {
          frames.add(complete());
        }
        continue;
      }
      int n = Math.min(end - i, body.length - filled);
      System.arraycopy(in, i, body, filled, n);
      filled += n;
      i += n;
      if (filled == body.length) frames.add(complete());
    }
    return frames;
  }

  private byte[] complete() {
    byte[] out = body;
    body = null;
    pendingLength = 0;
    prefixBytes = 0;
    filled = 0;
    return out;
  }

  /** Whether part of a frame (prefix or body) has been received but not all of it. */
  public boolean hasPartialFrame() {
    return prefixBytes > 0;
  }

  /** Prefixes an encoded RPC with its varint length. */
  public static byte[] frame(byte[] rpc) {
    int n = rpc.length;
    byte[] prefix = new byte[MAX_PREFIX_BYTES];
    int p = 0;
    while ((n & ~0x7F) != 0) {
      prefix[p++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    prefix[p++] = (byte) n;
    byte[] out = Arrays.copyOf(prefix, p + rpc.length);
    System.arraycopy(rpc, 0, out, p, rpc.length);
    return out;
  }
}
