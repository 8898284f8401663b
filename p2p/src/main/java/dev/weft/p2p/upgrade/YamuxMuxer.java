package dev.weft.p2p.upgrade;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.yamux.YamuxConfig;
import dev.weft.p2p.yamux.YamuxFrame;
import dev.weft.p2p.yamux.YamuxSession;
import io.netty.channel.ChannelPipeline;
import java.util.concurrent.CompletableFuture;

/** Yamux ({@code /yamux/1.0.0}) as a muxer binding: the session is the connection. */
public final class YamuxMuxer implements MuxerBinding {
  private final YamuxConfig config;

  public YamuxMuxer(YamuxConfig config) {
    this.config = config;
  }

  @Override public String protocolId() {
    return YamuxFrame.PROTOCOL_ID;
  }

  @Override public void install(ChannelPipeline pipeline, String after, UpgradeRequest request, CompletableFuture<Connection> done) {
    if (request.remotePeer() == null) {
      done.completeExceptionally(new IllegalStateException("yamux needs a secured channel (no authenticated remote peer)"));
      return;
    }
    YamuxSession session = new YamuxSession(config, request.initiator(), request.remotePeer(), request.localAddress().get(),
        request.remoteAddress().get(), request.router(), request.clock());
    // Before the session is in the pipeline: no frame can be buffered uncharged.
    if (request.resources() != null) session.useResources(request.resources());
    pipeline.addAfter(after, "yamux", session);
    done.complete(session);
  }
}
