package dev.weft.cli.p2p;

import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.KeyFiles;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/** Options every {@code weft p2p} command shares (a picocli mixin): identity and listen addresses. */
public final class NodeOptions {
  /** A host that cannot bind its listeners within this gives up. */
  static final long START_TIMEOUT_SECONDS = 30;

  /*
   * --key or --seed; neither means a fresh random identity. Plain options rather than an exclusive
   * picocli ArgGroup: a group's options get no defaults from a --config file.
   */
  @Option(names = "--key", paramLabel = "FILE", description = "Identity key file (from 'weft key new').")
  Path key;

  @Option(names = "--seed", paramLabel = "N", description = "Deterministic Ed25519 identity from a number (tests only).")
  Long seed;

  @Option(names = "--listen", paramLabel = "MULTIADDR", split = ",", description = "Address to listen on (repeatable or comma-separated); serve defaults to /ip4/127.0.0.1/tcp/0.")
  List<String> listen = new ArrayList<>();

  @Option(names = "--allow-cidr", paramLabel = "CIDR", split = ",", description = dev.weft.cli.common.AllowCidrs.DESCRIPTION,
      converter = dev.weft.cli.common.AllowCidrs.Converter.class)
  List<dev.weft.p2p.resource.AddressPrefix> allowCidr = new ArrayList<>();

  /** The command this mixin is part of (usage errors name it); null when built by hand in tests. */
  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) picocli.CommandLine.Model.CommandSpec mixee;

  PrivKey privateKey() throws IOException {
    if (key != null && seed != null) throw new IllegalArgumentException("give --key or --seed, not both");
    if (key != null) {
      try {
        return KeyFiles.load(key);
      } catch (dev.weft.p2p.crypto.KeyFiles.KeyFileException e) {
        throw e;
      } catch (IOException e) {
        throw dev.weft.cli.common.Errors.file("read", "key", key, e);
      }
    }
    if (seed != null) return Ed25519.fromSeedNumber(seed);
    return Ed25519.generate(new SecureRandom());
  }

  /** Builds and starts a TCP host; {@code servePerf} registers /perf/1.0.0. */
  HostBuilder.Built start(boolean servePerf) throws IOException {
    return start(servePerf, b -> { });
  }

  /** The same, letting {@code configure} add services to the builder first. */
  HostBuilder.Built start(boolean servePerf, java.util.function.Consumer<HostBuilder> configure) throws IOException {
    HostBuilder b = BasicHost.builder().privateKey(privateKey()).transport(TcpTransport::new).perf(servePerf)
        .resourceLimits(dev.weft.cli.common.AllowCidrs.limits(mixee == null ? null : mixee.commandLine(), allowCidr));
    for (String a : listen) {
      try {
        b.listen(Multiaddr.parse(a));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad --listen address " + a + ": " + e.getMessage());
      }
    }
    configure.accept(b);
    HostBuilder.Built built = b.buildWithServices();
    try {
      built.host().start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      built.host().close();
      throw new IOException("interrupted while starting");
    } catch (ExecutionException | TimeoutException e) {
      built.host().close();
      Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot listen: " + c.getMessage(), c);
    }
    return built;
  }
}
