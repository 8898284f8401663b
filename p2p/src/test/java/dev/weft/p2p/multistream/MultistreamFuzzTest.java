package dev.weft.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
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
 * exception escape and leaks nothing.
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

  @FuzzTest(maxDuration = "30s")
  void responderChannel(FuzzedDataProvider data) {
    boolean initiator = data.consumeBoolean();
    MultistreamNegotiation n = initiator
        ? MultistreamNegotiation.initiator(List.of("/a", "/noise"))
        : MultistreamNegotiation.responder(Set.of("/noise")::contains);
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamHandler(n, 1000, new MultistreamHandler.Listener() {
      @Override public void selected(ChannelHandlerContext ctx, String protocol) {}

      @Override public void failed(ChannelHandlerContext ctx, Throwable cause) {}
    }));
    while (data.remainingBytes() > 0 && ch.isOpen()) {
      ch.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(1, 64))));
    }
    ch.checkException();
    ch.finishAndReleaseAll();
  }
}
