package dev.weft.p2p.protocol.perf;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.time.Scheduler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** Perf (client and server) for one host. Off by default: see {@link PerfProtocol}. Thread-safe. */
public final class PerfService {
  private final Host host;
  private final Scheduler scheduler;
  private final LongSupplier nanos;
  private final long maxDownload;

  private PerfService(ServiceContext context, LongSupplier nanos, long maxDownload, boolean serve) {
    this.host = context.host();
    this.scheduler = context.scheduler();
    this.nanos = nanos;
    this.maxDownload = maxDownload;
    if (serve) host.setStreamHandler(PerfProtocol.ID, this::handle);
  }

  /** The perf server and client as a host service, timed on the context's clock. */
  public static ServiceFactory<PerfService> factory() {
    return context -> new PerfService(context, context::nowNanos, PerfProtocol.DEFAULT_MAX_DOWNLOAD_BYTES, true);
  }

  /** A perf client only: nothing is registered, nobody can make us send. */
  public static ServiceFactory<PerfService> clientOnlyFactory() {
    return context -> new PerfService(context, context::nowNanos, 0, false);
  }

  /** Installs the perf server and client on {@code host}. */
  public static PerfService install(Host host, LongSupplier nanos) {
    return host.install(context -> new PerfService(context, nanos, PerfProtocol.DEFAULT_MAX_DOWNLOAD_BYTES, true));
  }

  /** Installs a perf client only on {@code host}. */
  public static PerfService clientOnly(Host host, LongSupplier nanos) {
    return host.install(context -> new PerfService(context, nanos, 0, false));
  }

  private void handle(Stream stream) {
    stream.setHandler(new PerfHandler(scheduler, maxDownload, stream));
  }

  /** Uploads {@code upload} bytes to {@code peer} and downloads {@code download} back on one stream. */
  public CompletableFuture<PerfResult> run(PeerId peer, long upload, long download) {
    return host.newStream(peer, List.of(PerfProtocol.ID)).thenCompose(s -> new PerfClient(scheduler, nanos, upload, download).start(s));
  }

  public CompletableFuture<PerfResult> run(Connection connection, long upload, long download) {
    return connection.newStream(List.of(PerfProtocol.ID)).thenCompose(s -> new PerfClient(scheduler, nanos, upload, download).start(s));
  }
}
