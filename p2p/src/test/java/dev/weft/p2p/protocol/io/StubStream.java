package dev.weft.p2p.protocol.io;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/** A stream that records what is done to it; for feeding handlers directly. */
public final class StubStream implements Stream {
  public boolean reset;
  public long written;
  /** The handler last set. */
  public StreamHandler handler;
  /** Whether a handler was set and then detached ({@code setHandler(null)}). */
  public boolean detached;

  @Override public long id() {
    return 1;
  }

  @Override public PeerId remotePeer() {
    return null;
  }

  @Override public Connection connection() {
    return null;
  }

  @Override public String protocol() {
    return "/stub";
  }

  @Override public boolean isInitiator() {
    return false;
  }

  @Override public void setHandler(StreamHandler handler) {
    if (handler == null && this.handler != null) detached = true;
    if (handler != null) this.handler = handler;
  }

  @Override public CompletableFuture<Void> write(ByteBuf data) {
    written += data.readableBytes();
    data.release();
    return CompletableFuture.completedFuture(null);
  }

  @Override public CompletableFuture<Void> closeWrite() {
    return CompletableFuture.completedFuture(null);
  }

  @Override public void reset() {
    reset = true;
  }

  @Override public CompletableFuture<Void> closeFuture() {
    return new CompletableFuture<>();
  }
}
