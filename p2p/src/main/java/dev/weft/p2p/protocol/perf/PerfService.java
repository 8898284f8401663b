package dev.weft.p2p.protocol.perf;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.host.BasicHost;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** Perf (client and server) for one host. Off by default: see {@link PerfProtocol}. Thread-safe. */
public final class PerfService {
  private final BasicHost host;
  private final LongSupplier nanos;
  private final long maxDownload;

  private PerfService(BasicHost host, LongSupplier nanos, long maxDownload, boolean serve) {
    this.host = host;
    this.nanos = nanos;
    this.maxDownload = maxDownload;
    if (serve) host.setStreamHandler(PerfProtocol.ID, this::handle);
  }

  /** Installs the perf server and client on {@code host}. */
  public static PerfService install(BasicHost host, LongSupplier nanos) {
    return new PerfService(host, nanos, PerfProtocol.DEFAULT_MAX_DOWNLOAD_BYTES, true);
  }

  /** A perf client only: nothing is registered, nobody can make us send. */
  public static PerfService clientOnly(BasicHost host, LongSupplier nanos) {
    return new PerfService(host, nanos, 0, false);
  }

  private void handle(Stream stream) {
    stream.setHandler(new PerfHandler(host.scheduler(), maxDownload, stream));
  }

  /** Uploads {@code upload} bytes to {@code peer} and downloads {@code download} back on one stream. */
  public CompletableFuture<PerfResult> run(PeerId peer, long upload, long download) {
    return host.newStream(peer, List.of(PerfProtocol.ID)).thenCompose(s -> new PerfClient(host.scheduler(), nanos, upload, download).start(s));
  }

  public CompletableFuture<PerfResult> run(Connection connection, long upload, long download) {
    return connection.newStream(List.of(PerfProtocol.ID)).thenCompose(s -> new PerfClient(host.scheduler(), nanos, upload, download).start(s));
  }
}
