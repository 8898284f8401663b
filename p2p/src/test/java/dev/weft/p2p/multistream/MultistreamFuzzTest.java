package dev.weft.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.fuzz.Chunks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Set;

/**
 * multistream-select from untrusted bytes: the codec throws only {@link MultistreamException} and
 * what it accepts re-encodes to the same bytes; a negotiating channel fed anything never lets an
 * exception escape and leaks nothing. Seeds are real negotiations captured by
 * {@link dev.weft.p2p.fuzz.FuzzSeedWriter}: what an initiator sends (for the responder) and what a
 * responder sends (for the initiator).
 */
class MultistreamFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decode(byte[] data) {
    ByteBuf in = Unpooled.wrappedBuffer(data);
    while (true) {
      int start = in.readerIndex();
      String m;
      try {
        m = MultistreamCodec.decode(in);
      } catch (MultistreamException expected) {
        return;
      }
      if (m == null) {
        assertThat(in.readerIndex()).isEqualTo(start);
        return;
      }
      ByteBuf again = Unpooled.buffer();
      MultistreamCodec.encode(m, again);
      assertThat(ByteBufUtil.getBytes(again)).isEqualTo(ByteBufUtil.getBytes(in, start, in.readerIndex() - start));
      again.release();
    }
  }

  /** A responder supporting {@code /noise} fed what an initiator sent. */
  @FuzzTest(maxDuration = "30s")
  void responderChannel(byte[] wire) {
    negotiate(MultistreamNegotiation.responder(Set.of("/noise")::contains), wire);
  }

  /** An initiator proposing {@code /a} then {@code /noise} fed what a responder sent. */
  @FuzzTest(maxDuration = "30s")
  void initiatorChannel(byte[] wire) {
    negotiate(MultistreamNegotiation.initiator(List.of("/a", "/noise")), wire);
  }

  private static void negotiate(MultistreamNegotiation n, byte[] wire) {
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamHandler(n, 1000, new MultistreamHandler.Listener() {
      @Override public void selected(ChannelHandlerContext ctx, String protocol) {}

      @Override public void failed(ChannelHandlerContext ctx, Throwable cause) {}
    }));
    for (byte[] chunk : Chunks.split(wire, 64)) {
      if (!ch.isOpen()) break;
      ch.writeInbound(Unpooled.wrappedBuffer(chunk));
    }
    ch.checkException();
    ch.finishAndReleaseAll();
  }
}
