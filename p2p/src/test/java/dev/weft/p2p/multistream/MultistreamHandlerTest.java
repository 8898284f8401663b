package dev.weft.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MultistreamHandlerTest {
  private final List<String> selected = new ArrayList<>();
  private final List<Throwable> failures = new ArrayList<>();
  private final List<String> after = new ArrayList<>();

  private MultistreamHandler handler(MultistreamNegotiation n) {
    return new MultistreamHandler(n, 1000, new MultistreamHandler.Listener() {
      @Override public void selected(ChannelHandlerContext ctx, String protocol) {
        selected.add(protocol);
        ctx.pipeline().addAfter(ctx.name(), "next", new ChannelInboundHandlerAdapter() {
          @Override public void channelRead(ChannelHandlerContext c, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            after.add(b.toString(StandardCharsets.UTF_8));
            b.release();
          }
        });
      }

      @Override public void failed(ChannelHandlerContext ctx, Throwable cause) {
        failures.add(cause);
      }
    });
  }

  private static ByteBuf lines(String... messages) {
    return MultistreamCodec.encode(Unpooled.buffer().alloc(), List.of(messages));
  }

  private static List<String> drainMessages(EmbeddedChannel ch) throws Exception {
    List<String> out = new ArrayList<>();
    ByteBuf all = Unpooled.buffer();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      all.writeBytes((ByteBuf) o);
      ((ByteBuf) o).release();
    }
    for (String m; (m = MultistreamCodec.decode(all)) != null; ) out.add(m);
    all.release();
    return out;
  }

  @Test void responderAcceptsPipelinedHeaderProposalAndDataAndForwardsTheData() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(handler(MultistreamNegotiation.responder(Set.of("/noise")::contains)));
    ByteBuf in = lines(MultistreamCodec.PROTOCOL_ID, "/tls/1.0.0", "/noise");
    in.writeBytes("payload".getBytes(StandardCharsets.UTF_8));
    ch.writeInbound(in);
    assertThat(drainMessages(ch)).containsExactly(MultistreamCodec.PROTOCOL_ID, "na", "/noise");
    assertThat(selected).containsExactly("/noise");
    assertThat(after).containsExactly("payload");
    assertThat(ch.pipeline().get(MultistreamHandler.class)).isNull();
    assertThat(ch.isOpen()).isTrue();
    ch.finishAndReleaseAll();
  }

  @Test void initiatorSelectsAfterEcho() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(handler(MultistreamNegotiation.initiator(List.of("/noise"))));
    assertThat(drainMessages(ch)).containsExactly(MultistreamCodec.PROTOCOL_ID, "/noise");
    ch.writeInbound(lines(MultistreamCodec.PROTOCOL_ID));
    assertThat(selected).isEmpty();
    ch.writeInbound(lines("/noise"));
    assertThat(selected).containsExactly("/noise");
    ch.finishAndReleaseAll();
  }

  @Test void garbageClosesTheChannel() {
    EmbeddedChannel ch = new EmbeddedChannel(handler(MultistreamNegotiation.responder(p -> true)));
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}));
    assertThat(ch.isOpen()).isFalse();
    assertThat(failures).hasSize(1);
    assertThat(selected).isEmpty();
    ch.finishAndReleaseAll();
  }

  @Test void unknownOnlyProtocolGetsNaThenInitiatorGivesUp() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(handler(MultistreamNegotiation.initiator(List.of("/yamux/1.0.0"))));
    drainMessages(ch);
    ch.writeInbound(lines(MultistreamCodec.PROTOCOL_ID, "na"));
    assertThat(ch.isOpen()).isFalse();
    assertThat(failures).singleElement().extracting(Throwable::getMessage).asString().contains("none of");
    ch.finishAndReleaseAll();
  }

  @Test void timesOut() {
    EmbeddedChannel ch = new EmbeddedChannel(handler(MultistreamNegotiation.responder(p -> true)));
    ch.advanceTimeBy(1001, TimeUnit.MILLISECONDS);
    ch.runPendingTasks();
    assertThat(ch.isOpen()).isFalse();
    assertThat(failures).singleElement().extracting(Throwable::getMessage).asString().contains("timed out");
    ch.finishAndReleaseAll();
  }
}
