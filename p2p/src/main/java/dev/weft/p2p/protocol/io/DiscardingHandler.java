package dev.weft.p2p.protocol.io;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import io.netty.buffer.ByteBuf;

/**
 * For streams on which we expect nothing more: reads are dropped (at most {@link #MAX_BYTES}, then
 * the stream is reset, so a peer cannot make us read forever).
 */
public final class DiscardingHandler implements StreamHandler {
  /** Bytes tolerated on a stream that should be silent. */
  public static final int MAX_BYTES = 64 * 1024;
  private long seen;

  @Override public void onData(Stream stream, ByteBuf data) {
    seen += data.readableBytes();
    if (seen > MAX_BYTES) stream.reset();
  }
}
