package dev.weft.cli.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.common.ByteSize;
import dev.weft.cli.common.ConfigOption;
import dev.weft.cli.common.Output;
import dev.weft.node.blocks.BlobManifest;
import dev.weft.node.blocks.BlobStore;
import dev.weft.node.peer.PeerNode;
import dev.weft.node.run.InvalidManifestException;
import dev.weft.node.run.ManifestJson;
import dev.weft.node.run.ManifestProblem;
import dev.weft.node.run.RunManifest;
import dev.weft.node.run.SignedManifest;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft run}: publish a run as its coordinator, and read runs from the network. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Publish a training run (coordinator) and read published runs from the DHT.",
    footer = {"", "Examples:",
        "  weft run publish docs/examples/run.toml --bootstrap /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...",
        "  weft run show 12D3KooW.../tiny-shakespeare --bootstrap /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...",
        "  weft run list --bootstrap /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW... --json"},
    subcommands = {RunCommand.Publish.class, RunCommand.Show.class, RunCommand.ListRuns.class})
public final class RunCommand implements Runnable {
  /** How long a command waits for the network (bootstrap, a DHT query). */
  static final long NETWORK_TIMEOUT_SECONDS = 60;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description = {"Validate run.toml, sign it with the coordinator key, publish it as a /weft/run/ DHT record and on gossip,",
          "and seed the initial checkpoint and the data shards as blobs. Serves them until --serve-for ends (or Ctrl-C);",
          "volunteers that download them serve them on, so the coordinator may leave afterwards."},
      footer = {"", "Examples:",
          "  weft run publish run.toml --dry-run                      validate only, print the manifest",
          "  weft run publish run.toml --key coord.key --bootstrap /ip4/10.0.0.1/tcp/4001/p2p/12D3KooW...",
          "  weft run publish run.toml --serve-for 30m --json         serve the blobs for 30 minutes, then exit",
          "", "An example run.toml: docs/examples/run.toml. Invalid settings are refused with one line per field."})
  static final class Publish implements Callable<Integer> {
    @Mixin Output out;
    @Mixin ConfigOption config;
    @Mixin RunNetOptions net;

    @Parameters(index = "0", paramLabel = "RUN.TOML", description = "The run's settings.")
    Path file;

    @Option(names = "--dry-run", description = "Validate and print the manifest; publish nothing.")
    boolean dryRun;

    @Option(names = "--seq", paramLabel = "N", description = "Record sequence number (default: now in ms; a higher one replaces the record).")
    Long seq;

    @Option(names = "--serve-for", paramLabel = "DURATION", defaultValue = "forever",
        description = "How long to serve the seeded blobs after publishing: 90s, 30m, 2h, 0 (exit at once) or forever (default).")
    String serveFor;

    @Override public Integer call() throws Exception {
      long serveMillis = parseDuration(serveFor);
      PrivKey key = net.key();
      PeerId coordinator = PeerId.fromPublicKey(key.publicKey());
      if (dryRun) {
        RunToml.Prepared p = prepared(coordinator, null);
        ObjectNode r = Output.object();
        r.put("run", p.manifest().id());
        r.set("manifest", ManifestJson.tree(p.manifest()));
        out.result(r, "weft: " + file + " is a valid run (" + p.manifest().id() + ")\n" + describe(p.manifest()));
        return 0;
      }
      if (net.bootstrap.isEmpty()) out.say("weft: no --bootstrap given: the run is published on this node only; volunteers must bootstrap from it");
      try (PeerNode node = net.start(false)) {
        RunToml.Prepared p = prepared(coordinator, node.blobs());
        long now = System.currentTimeMillis();
        SignedManifest.Signed signed = SignedManifest.sign(p.manifest(), key, seq != null ? seq : now, now + SignedManifest.DEFAULT_VALIDITY_MILLIS);
        node.bootstrap(net.bootstrap()).get(NETWORK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var stored = node.publish(signed, key).get(NETWORK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<BlobManifest> blobs = new ArrayList<>();
        if (p.checkpoint() != null) blobs.add(p.checkpoint());
        blobs.addAll(p.shards());
        for (BlobManifest b : blobs) node.provide(b.id()).get(NETWORK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ObjectNode r = Output.object();
        r.put("event", "published");
        r.put("run", signed.runId());
        r.put("peerId", node.peerId().toBase58());
        r.put("storedOn", stored.stored());
        ArrayNode addrs = r.putArray("addresses");
        for (Multiaddr a : node.addresses()) addrs.add(a.toString());
        ArrayNode seeded = r.putArray("seeded");
        for (BlobManifest b : blobs) seeded.addObject().put("blob", b.id().toString()).put("bytes", b.size());
        StringBuilder h = new StringBuilder("weft: published run " + signed.runId() + " (stored on " + stored.stored() + " DHT peers)\n");
        h.append(describe(p.manifest()));
        h.append("seeding ").append(blobs.size()).append(" blobs (").append(ByteSize.format(blobs.stream().mapToLong(BlobManifest::size).sum()))
            .append(") at ").append(node.addresses().isEmpty() ? "?" : node.addresses().get(0)).append('\n');
        h.append("volunteers join with: weft node --run ").append(signed.runId()).append(" --bootstrap ")
            .append(net.bootstrap.isEmpty() ? (node.addresses().isEmpty() ? "?" : node.addresses().get(0).toString()) : net.bootstrap.get(0));
        if (out.json()) out.json(r);
        else out.text(h.toString());
        serve(node, serveMillis);
        return 0;
      }
    }

    private RunToml.Prepared prepared(PeerId coordinator, BlobStore store) throws Exception {
      try {
        return RunToml.prepare(file, coordinator, store);
      } catch (InvalidManifestException e) {
        StringBuilder b = new StringBuilder(file + " is not a valid run:");
        for (ManifestProblem p : e.problems()) b.append("\n  ").append(p.field()).append(": ").append(p.message());
        throw new CommandLine.ParameterException(out.commandLine(), b.toString());
      }
    }

    private void serve(PeerNode node, long millis) throws InterruptedException {
      if (millis == 0) return;
      out.say(millis < 0 ? "serving until stopped (Ctrl-C)" : "serving for " + serveFor);
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook = new Thread(stop::countDown, "weft-run-publish-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        if (millis < 0) stop.await();
        else stop.await(millis, TimeUnit.MILLISECONDS);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down already
        }
        ObjectNode r = Output.object();
        r.put("event", "stopped");
        r.put("bytesServed", node.blocks().bytesServed());
        out.result(r, "weft: stopped after serving " + ByteSize.format(node.blocks().bytesServed()));
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Find a run in the DHT, verify its coordinator's signature and print its manifest.",
      footer = {"", "Examples:",
          "  weft run show 12D3KooW.../tiny-shakespeare --bootstrap /ip4/10.0.0.1/tcp/4001/p2p/12D3KooW...",
          "  weft run show 12D3KooW.../tiny-shakespeare --bootstrap /ip4/10.0.0.1/tcp/4001/p2p/12D3KooW... --json"})
  static final class Show implements Callable<Integer> {
    @Mixin Output out;
    @Mixin RunNetOptions net;

    @Parameters(index = "0", paramLabel = "RUN-ID", description = "<coordinator peer id>/<run name>.")
    String runId;

    @Override public Integer call() throws Exception {
      SignedManifest.key(runId);
      try (PeerNode node = net.start(true)) {
        node.bootstrap(net.bootstrap()).get(NETWORK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Optional<SignedManifest.Signed> s = node.findRun(runId).get(NETWORK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (s.isEmpty()) throw new IllegalStateException("run " + runId + ": not found in the DHT (is the --bootstrap peer on the run's network?)");
        ObjectNode r = Output.object();
        r.put("run", s.get().runId());
        r.put("verified", true);
        r.set("manifest", ManifestJson.tree(s.get().manifest()));
        out.result(r, "run " + s.get().runId() + " (signature verified)\n" + describe(s.get().manifest()));
        return 0;
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {"List the runs published in the DHT: those of coordinators that announce the runs key, and of every --author.",
          "A coordinator offline for more than two days is found only with --author."},
      footer = {"", "Examples:",
          "  weft run list --bootstrap /ip4/10.0.0.1/tcp/4001/p2p/12D3KooW...",
          "  weft run list --bootstrap /ip4/10.0.0.1/tcp/4001/p2p/12D3KooW... --author 12D3KooW... --json"})
  static final class ListRuns implements Callable<Integer> {
    @Mixin Output out;
    @Mixin RunNetOptions net;

    @Option(names = "--author", paramLabel = "PEER-ID", split = ",", description = "Also list this coordinator's runs (repeatable).")
    List<String> authors = new ArrayList<>();

    @Override public Integer call() throws Exception {
      List<PeerId> as = new ArrayList<>();
      for (String a : authors) {
        try {
          as.add(PeerId.parse(a));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--author " + a + " is not a peer id");
        }
      }
      try (PeerNode node = net.start(true)) {
        node.bootstrap(net.bootstrap()).get(NETWORK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<SignedManifest.Signed> runs = node.listRuns(as).get(NETWORK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ObjectNode r = Output.object();
        ArrayNode list = r.putArray("runs");
        StringBuilder h = new StringBuilder(runs.isEmpty() ? "no runs found\n" : String.format("%-70s %-12s %7s %6s%n", "RUN", "MODEL", "ROUNDS", "SHARDS"));
        for (SignedManifest.Signed s : runs) {
          RunManifest m = s.manifest();
          list.addObject().put("run", s.runId()).put("model", m.model().spec()).put("rounds", m.training().rounds()).put("shards", m.data().shards().size())
              .put("checkpoint", m.model().checkpoint().toString());
          h.append(String.format("%-70s %-12s %7d %6d%n", s.runId(), m.model().spec(), m.training().rounds(), m.data().shards().size()));
        }
        if (out.json()) out.json(r);
        else out.text(h.toString());
        return 0;
      }
    }
  }

  /** A person's summary of a manifest. */
  static String describe(RunManifest m) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("  model      %s (seed %d), checkpoint %s%n", m.model().spec(), m.model().seed(), m.model().checkpoint()));
    b.append(String.format("  data       %d shards, %d per peer%n", m.data().shards().size(), m.data().shardsPerPeer()));
    b.append(String.format("  training   H = %d inner steps x %d rounds, checkpoint every %d, %d rows per batch%n", m.training().innerSteps(),
        m.training().rounds(), m.training().checkpointEvery(), m.training().batchRows()));
    b.append(String.format("  inner      %s lr %s, warm-up %d, betas %s/%s, weight decay %s, clip %s%n", m.inner().optimizer(), m.inner().lr(),
        m.inner().warmupSteps(), m.inner().beta1(), m.inner().beta2(), m.inner().weightDecay(), m.inner().clipNorm()));
    b.append(String.format("  outer      %s lr %s momentum %s%n", m.outer().optimizer(), m.outer().lr(), m.outer().momentum()));
    b.append(String.format("  aggregate  %s tolerating f = %d, codec %s%n", m.aggregation().rule(), m.aggregation().f(), m.aggregation().codec()));
    b.append(String.format("  rounds     quorum %d, at least %d contributions, at most %d voters%n", m.round().quorum(), m.round().minContributions(),
        m.round().maxVoters()));
    b.append(String.format("  admission  %s%s, voting after %d rounds%n", m.admission().policy(),
        m.admission().allow().isEmpty() ? "" : " (" + m.admission().allow().size() + " peers)", m.admission().voterTenureRounds()));
    b.append(String.format("  limits     %s per contribution, %d peers, round timeout %d s%n", ByteSize.format(m.limits().maxContributionBytes()),
        m.limits().maxPeers(), m.limits().roundTimeoutMillis() / 1000));
    return b.toString();
  }

  /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, {@code 0} → milliseconds; {@code forever} → -1. */
  static long parseDuration(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("forever")) return -1;
    if (t.equals("0")) return 0;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)").matcher(t);
    if (!m.matches()) throw new IllegalArgumentException("--serve-for must look like 90s, 30m, 2h, 1d, 0 or forever, not '" + s + "'");
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1000;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n * 86_400_000;
    };
  }
}
