package dev.weft.cli.p2p;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.p2p.host.HostBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
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
    subcommands = {P2pCommand.Serve.class, P2pCommand.PingCmd.class, P2pCommand.IdentifyCmd.class, P2pCommand.PerfCmd.class,
      dev.weft.cli.p2p.bench.P2pBench.class})
public final class P2pCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where results go: System.out unless a test swaps it. */
  static PrintStream stdout = System.out;

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Run a host. Prints {\"peerId\":...,\"addrs\":[...]} first, then reads one JSON command per line on stdin",
        "and prints one JSON line per result or event. Commands: dial, ping, identify, perf, peers, disconnect, help;",
        "e.g. {\"id\":1,\"cmd\":\"ping\",\"addr\":\"/ip4/127.0.0.1/tcp/4001/p2p/12D3...\",\"count\":3}. Ends at end of input."})
  static final class Serve implements Callable<Integer> {
    @Mixin NodeOptions node;

    @Mixin dev.weft.cli.gossip.GossipOptions gossip;
    @Mixin dev.weft.cli.dht.DhtOptions dht;

    @Option(names = "--perf", description = "Serve /perf/1.0.0 (lets peers make us send data: benchmarks and tests only).")
    boolean perf;

    @Override public Integer call() throws Exception {
      if (node.listen.isEmpty()) node.listen.add("/ip4/127.0.0.1/tcp/0");
      HostBuilder.Built built = node.start(perf);
      try {
        dht.attach(built);
        ServeSession session = new ServeSession(built, ServeCommands.standard(), stdout);
        gossip.attach(session.context());
        session.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
      } finally {
        built.host().close();
      }
      return 0;
    }
  }

  /** Runs one serve command on a dial-only host and prints its result; failures become exit 1. */
  static int oneShot(NodeOptions options, ObjectNode request) throws Exception {
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
      stdout.println(ServeContext.JSON.writeValueAsString(result));
      stdout.flush();
      return 0;
    } finally {
      built.host().close();
    }
  }

  @Command(name = "ping", mixinStandardHelpOptions = true, description = "Ping a peer; prints {\"peer\":...,\"rtts\":[ms...]}.")
  static final class PingCmd implements Callable<Integer> {
    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "MULTIADDR", description = "The peer, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3...")
    String addr;

    @Option(names = "--count", defaultValue = "3", description = "Pings to send (default ${DEFAULT-VALUE}).")
    int count;

    @Override public Integer call() throws Exception {
      ObjectNode req = ServeContext.JSON.createObjectNode().put("cmd", "ping").put("addr", addr).put("count", count);
      return oneShot(node, req);
    }
  }

  @Command(name = "identify", mixinStandardHelpOptions = true, description = "Identify a peer; prints its protocols, listen addresses, agent and our observed address.")
  static final class IdentifyCmd implements Callable<Integer> {
    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "MULTIADDR")
    String addr;

    @Override public Integer call() throws Exception {
      return oneShot(node, ServeContext.JSON.createObjectNode().put("cmd", "identify").put("addr", addr));
    }
  }

  @Command(name = "perf", mixinStandardHelpOptions = true, description = "Measure throughput to a peer serving /perf/1.0.0; prints bytes/s both ways.")
  static final class PerfCmd implements Callable<Integer> {
    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "MULTIADDR")
    String addr;

    @Option(names = "--upload", required = true, paramLabel = "BYTES", description = "Bytes to send.")
    long upload;

    @Option(names = "--download", required = true, paramLabel = "BYTES", description = "Bytes to receive.")
    long download;

    @Override public Integer call() throws Exception {
      return oneShot(node, ServeContext.JSON.createObjectNode().put("cmd", "perf").put("addr", addr)
          .put("upload", upload).put("download", download));
    }
  }

  /** Discards what the one-shot session prints (events); the result is printed by {@link #oneShot}. */
  private static final class ByteSink {
    final PrintStream stream = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
  }
}
