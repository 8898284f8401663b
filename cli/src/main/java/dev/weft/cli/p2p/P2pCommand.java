package dev.weft.cli.p2p;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.p2p.host.HostBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dev.weft.cli.common.ByteSize;
import dev.weft.cli.common.ConfigOption;
import dev.weft.cli.common.Output;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft p2p}: run a libp2p host and talk to peers (ping, identify, perf). */
@Command(
    name = "p2p",
    mixinStandardHelpOptions = true,
    description = "Run a libp2p host, or ping / identify / measure a peer.",
    footer = {"", "Examples:", "  weft p2p serve --key node.key --listen /ip4/0.0.0.0/tcp/4001",
      "  weft p2p ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...", "  weft p2p bench --no-js"},
    subcommands = {P2pCommand.Serve.class, P2pCommand.PingCmd.class, P2pCommand.IdentifyCmd.class, P2pCommand.PerfCmd.class,
      dev.weft.cli.p2p.bench.P2pBench.class})
public final class P2pCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where JSON results go when a test swaps it (null: the command line's own stdout). */
  static PrintStream stdout = null;

  /** How serve treats its standard input. */
  enum StdinMode { auto, on, off }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Run a host until it is stopped (Ctrl-C, SIGTERM). Its identity and addresses are printed on stderr,",
        "and with --json as a first JSON line {\"peerId\":...,\"addrs\":[...]} on stdout, followed by one JSON line per event.",
        "With the stdin protocol on (--stdin on, or 'auto' when stdin is a pipe), it also reads one JSON command per line",
        "(dial, ping, identify, perf, peers, disconnect, help, and those of gossipsub and the DHT) and prints one JSON",
        "line per result on stdout; then the end of input stops the host. Without it (a terminal, /dev/null, a service",
        "manager) stdin is never read."},
      footer = {"", "Examples:",
        "  weft p2p serve --key node.key --listen /ip4/0.0.0.0/tcp/4001          run until Ctrl-C",
        "  weft p2p serve --listen /ip4/127.0.0.1/tcp/4001 --perf &              in the background",
        "  echo '{\"cmd\":\"ping\",\"addr\":\"/ip4/127.0.0.1/tcp/4001/p2p/12D3...\"}' | weft p2p serve --stdin on",
        "  weft p2p serve --config serve.toml                                      options from a TOML file",
        "  weft p2p serve --key boot.key --listen /ip4/0.0.0.0/tcp/4001 --no-relay-service   no relaying for others"})
  static final class Serve implements Callable<Integer> {
    @Mixin NodeOptions node;

    @Mixin dev.weft.cli.gossip.GossipOptions gossip;
    @Mixin dev.weft.cli.dht.DhtOptions dht;
    @Mixin Output out;
    @Mixin ConfigOption config;

    @Option(names = "--perf", description = "Serve /perf/1.0.0 (lets peers make us send data: benchmarks and tests only).")
    boolean perf;

    @Option(names = "--dashboard", paramLabel = "HOST:PORT", arity = "0..1", fallbackValue = "127.0.0.1:7777",
        description = "Serve the local dashboard, /api/status and Prometheus /metrics (default address ${FALLBACK-VALUE} when given without one).")
    String dashboard;

    @Option(names = "--no-relay-service", description = "Do not relay for others (circuit relay v2 hop, with RelayConfig.DEFAULT's limits; on by default: a reachable host is what private volunteers reserve on).")
    boolean noRelayService;

    @Option(names = "--no-autonat-server", description = "Do not answer AutoNAT requests (on by default: volunteers learn from it whether they are reachable).")
    boolean noAutonatServer;

    @Option(names = "--lan", description = "Relay for and dial back private and loopback addresses too (a LAN or a testnet on one machine).")
    boolean lan;

    @Option(names = "--stdin", paramLabel = "MODE", defaultValue = "auto",
        description = "The JSON command protocol on stdin: on, off, or auto = on when stdin is a pipe (default ${DEFAULT-VALUE}).")
    StdinMode stdin;

    @Override public Integer call() throws Exception {
      if (node.listen.isEmpty()) node.listen.add("/ip4/127.0.0.1/tcp/0");
      boolean protocol = switch (stdin) {
        case on -> true;
        case off -> false;
        case auto -> StdinKind.detect() == StdinKind.PIPE;
      };
      if (protocol) out.forceJson();
      // A bootstrap host's NAT role: serve AutoNAT and a relay to others; it reserves nothing itself.
      dev.weft.p2p.nat.traversal.NatConfig natConfig = dev.weft.p2p.nat.traversal.NatConfig.OFF.withLan(lan)
          .withPieces(false, !noAutonatServer, false, !noRelayService, false, false);
      dev.weft.p2p.nat.traversal.NatTraversal.Prepared[] nat = new dev.weft.p2p.nat.traversal.NatTraversal.Prepared[1];
      boolean natOn = !noAutonatServer || !noRelayService;
      HostBuilder.Built built = node.start(perf, b -> {
        if (natOn) nat[0] = dev.weft.p2p.nat.traversal.NatTraversal.prepare(b, natConfig);
      });
      if (nat[0] != null) {
        built.host().own(nat[0].start(built, new java.util.Random(new java.security.SecureRandom().nextLong()), r -> Thread.ofVirtual().start(r)));
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        built.host().close();
        stopped.countDown();
      }, "weft-serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        dht.attach(built);
        PrintStream json = stdout != null ? stdout : new PrintStream(new WriterOutputStream(out), true, StandardCharsets.UTF_8);
        ServeSession session = new ServeSession(built, ServeCommands.standard(), json);
        gossip.attach(session.context());
        out.say("weft: serving as %s on %s", built.host().peerId().toBase58(), session.identityLine().get("addrs"));
        dev.weft.node.http.DashboardServer board = null;
        if (dashboard != null) {
          var config = dev.weft.node.http.DashboardConfig.parse(dashboard);
          var status = new dev.weft.node.http.NodeStatus(built.host(), new dev.weft.node.http.TrainingStatus());
          var metrics = new dev.weft.node.http.NodeMetrics(status);
          if (built.host() instanceof dev.weft.p2p.host.BasicHost bh) {
            dev.weft.node.http.ResourceMetrics.register(metrics, () -> bh.resourceManager().snapshot());
          }
          board = dev.weft.node.http.DashboardServer.start(config, status, metrics);
          out.say("weft: dashboard at %s (metrics at %smetrics)", board.url(config.host()), board.url(config.host()));
          dev.weft.node.http.DashboardServer closing = board;
          built.host().own(closing::close);
        }
        if (protocol) {
          out.say("weft: reading JSON commands on stdin (end of input stops the host)");
          session.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
          out.say("weft: end of input, stopping");
        } else {
          out.say("weft: running until stopped (Ctrl-C or SIGTERM)");
          session.runWithoutInput(out.json(), stopped);
        }
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it closes the host
        }
        built.host().close();
      }
      return 0;
    }
  }

  /** Runs one serve command on a dial-only host and prints its result; failures become exit 1. */
  static int oneShot(NodeOptions options, Output out, ObjectNode request, java.util.function.Function<ObjectNode, String> human)
      throws Exception {
    HostBuilder.Built built = options.start(false);
    try {
      ByteSink sink = new ByteSink();
      ServeSession session = new ServeSession(built, ServeCommands.standard(), sink.stream);
      ObjectNode result;
      try {
        result = session.handle(ServeContext.JSON.writeValueAsString(request)).get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(ServeSession.describe(e.getCause(), 0));
      }
      if (result.has("error")) throw new IllegalStateException(result.get("error").asText());
      result.remove("cmd");
      if (stdout != null) {
        stdout.println(ServeContext.JSON.writeValueAsString(result));
        stdout.flush();
      } else {
        out.result(result, human.apply(result));
      }
      return 0;
    } finally {
      built.host().close();
    }
  }

  @Command(name = "ping", mixinStandardHelpOptions = true,
      description = "Ping a peer and print the round-trip times (with --json: {\"peer\":...,\"rtts\":[ms...]}).",
      footer = {"", "Examples:", "  weft p2p ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...",
        "  weft p2p ping --count 10 --json /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW..."})
  static final class PingCmd implements Callable<Integer> {
    @Mixin NodeOptions node;
    @Mixin Output out;

    @Parameters(index = "0", paramLabel = "MULTIADDR", description = "The peer, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3...")
    String addr;

    @Option(names = "--count", defaultValue = "3", description = "Pings to send, 1 to 1000 (default ${DEFAULT-VALUE}).")
    int count;

    @Override public Integer call() throws Exception {
      if (count < 1 || count > 1000) throw new CommandLine.ParameterException(out.commandLine(), "--count must be in 1..1000, not " + count);
      ObjectNode req = ServeContext.JSON.createObjectNode().put("cmd", "ping").put("addr", addr).put("count", count);
      return oneShot(node, out, req, r -> {
        StringBuilder b = new StringBuilder("ping " + r.path("peer").asText() + ":");
        for (var rtt : r.path("rtts")) b.append(String.format(java.util.Locale.ROOT, " %.2f ms", rtt.asDouble()));
        return b.toString();
      });
    }
  }

  @Command(name = "identify", mixinStandardHelpOptions = true,
      description = "Identify a peer: its protocols, listen addresses, agent and the address it observes for us.",
      footer = {"", "Examples:", "  weft p2p identify /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...",
        "  weft p2p identify --json /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... | jq .protocols"})
  static final class IdentifyCmd implements Callable<Integer> {
    @Mixin NodeOptions node;
    @Mixin Output out;

    @Parameters(index = "0", paramLabel = "MULTIADDR", description = "The peer, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3...")
    String addr;

    @Override public Integer call() throws Exception {
      return oneShot(node, out, ServeContext.JSON.createObjectNode().put("cmd", "identify").put("addr", addr), r -> {
        StringBuilder b = new StringBuilder();
        r.fields().forEachRemaining(e -> b.append(String.format("%-16s %s%n", e.getKey(),
            e.getValue().isArray() ? String.join(", ", iterable(e.getValue())) : e.getValue().asText())));
        return b.toString().stripTrailing();
      });
    }
  }

  private static java.util.List<String> iterable(com.fasterxml.jackson.databind.JsonNode a) {
    java.util.List<String> l = new java.util.ArrayList<>();
    a.forEach(x -> l.add(x.asText()));
    return l;
  }

  @Command(name = "perf", mixinStandardHelpOptions = true,
      description = "Measure throughput to a peer serving /perf/1.0.0 (started with 'weft p2p serve --perf').",
      footer = {"", "Examples:", "  weft p2p serve --listen /ip4/127.0.0.1/tcp/4001 --perf &",
        "  weft p2p perf /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...                 10 MiB each way",
        "  weft p2p perf --upload 1GiB --download 0 /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW..."})
  static final class PerfCmd implements Callable<Integer> {
    @Mixin NodeOptions node;
    @Mixin Output out;

    @Parameters(index = "0", paramLabel = "MULTIADDR", description = "The peer, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3...")
    String addr;

    @Option(names = "--upload", defaultValue = "10MiB", paramLabel = "SIZE", converter = ByteSize.class,
        description = "Bytes to send, with a unit: 4096, 64KiB, 10MiB, 1GB (default ${DEFAULT-VALUE}).")
    long upload;

    @Option(names = "--download", defaultValue = "10MiB", paramLabel = "SIZE", converter = ByteSize.class,
        description = "Bytes to receive (default ${DEFAULT-VALUE}).")
    long download;

    @Override public Integer call() throws Exception {
      return oneShot(node, out, ServeContext.JSON.createObjectNode().put("cmd", "perf").put("addr", addr)
          .put("upload", upload).put("download", download), r -> String.format(java.util.Locale.ROOT,
              "perf %s: upload %s in %.2f s (%.1f MB/s), download %s in %.2f s (%.1f MB/s)", r.path("peer").asText(),
              ByteSize.format(r.path("upload").asLong()), r.path("uploadSeconds").asDouble(),
              r.path("uploadBytesPerSecond").asDouble() / 1e6, ByteSize.format(r.path("download").asLong()),
              r.path("downloadSeconds").asDouble(), r.path("downloadBytesPerSecond").asDouble() / 1e6));
    }
  }

  /**
   * The session's PrintStream of JSON lines: passed through to stdout in JSON mode; otherwise each
   * line is shown to people on stderr as {@code weft: connected peer=... addr=...}.
   */
  private static final class WriterOutputStream extends java.io.OutputStream {
    private final Output out;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterOutputStream(Output out) {
      this.out = out;
    }

    @Override public synchronized void write(int b) {
      if (b != '\n') {
        line.write(b);
        return;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (text.isBlank()) return;
      try {
        var node = ServeContext.JSON.readTree(text);
        if (out.json()) {
          out.json(node);
          return;
        }
        StringBuilder h = new StringBuilder("weft:");
        if (node.has("event")) h.append(' ').append(node.get("event").asText());
        node.fields().forEachRemaining(e -> {
          if (!e.getKey().equals("event")) h.append(' ').append(e.getKey()).append('=').append(
              e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        });
        out.say(h.toString());
      } catch (java.io.IOException e) {
        out.say("weft: %s", text);
      }
    }
  }

  /** Discards what the one-shot session prints (events); the result is printed by {@link #oneShot}. */
  private static final class ByteSink {
    final PrintStream stream = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
  }
}
