package dev.weft.p2p.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Seeds for {@link MultistreamFuzzTest}: both directions of a real negotiation (one refusal, then /noise). */
public final class MultistreamFuzzSeeds {
  private MultistreamFuzzSeeds() {}

  /** [initiator-to-responder bytes, responder-to-initiator bytes]. */
  public static byte[][] negotiation() {
    MultistreamHandler.Listener quiet = new MultistreamHandler.Listener() {
      @Override public void selected(ChannelHandlerContext ctx, String protocol) {}

      @Override public void failed(ChannelHandlerContext ctx, Throwable cause) {}
    };
    EmbeddedChannel i = new EmbeddedChannel(new MultistreamHandler(MultistreamNegotiation.initiator(List.of("/a", "/noise")), 1000, quiet));
    EmbeddedChannel r = new EmbeddedChannel(new MultistreamHandler(MultistreamNegotiation.responder(Set.of("/noise")::contains), 1000, quiet));
    ByteArrayOutputStream toResponder = new ByteArrayOutputStream();
    ByteArrayOutputStream toInitiator = new ByteArrayOutputStream();
    for (int round = 0; round < 100; round++) {
      boolean moved = move(i, r, toResponder) | move(r, i, toInitiator);
      if (!moved) break;
    }
    i.finishAndReleaseAll();
    r.finishAndReleaseAll();
    return new byte[][] {toResponder.toByteArray(), toInitiator.toByteArray()};
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to, ByteArrayOutputStream log) {
    boolean moved = false;
    for (Object o; (o = from.readOutbound()) != null; ) {
      moved = true;
      ByteBuf b = (ByteBuf) o;
      log.writeBytes(ByteBufUtil.getBytes(b));
      if (to.isOpen()) to.writeInbound(b);
      else b.release();
    }
    return moved;
  }

  public static Map<String, byte[]> forDecode() {
    byte[][] n = negotiation();
    return Map.of("initiator-messages", n[0], "responder-messages", n[1]);
  }
}
