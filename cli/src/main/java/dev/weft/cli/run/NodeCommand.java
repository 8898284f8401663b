package dev.weft.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.common.ByteSize;
import dev.weft.cli.common.ConfigOption;
import dev.weft.cli.common.Output;
import dev.weft.node.peer.NodeEvent;
import dev.weft.node.peer.PeerNode;
import dev.weft.node.peer.VolunteerNode;
import dev.weft.node.blocks.BlobId;
import dev.weft.node.runtime.ContributionTransform;
import dev.weft.node.runtime.ManifestRunSpec;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.testnet.Attacks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weft node}: a volunteer joins a run and trains in it. First it joins the DHT, finds and
 * verifies the manifest, downloads and checks the checkpoint and its shards from every provider
 * ({@link VolunteerNode}); then the round runtime takes over the same identity, directory and
 * listen address and trains ({@link NodeTraining}). A run with open admission is served but not
 * trained: the round protocol needs a fixed voter list (see {@code ManifestRunSpec}).
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {"Join a run as a volunteer: find its signed manifest in the DHT, download the checkpoint and your shards",
        "from every peer that has them (verified chunk by chunk, resumed after a restart), then train: H inner steps per round,",
        "your contribution published, the round agreed with the other voters, the certified result applied, and the run's",
        "blobs served to later joiners. Killed, it restarts from --dir at the current round. State lives in --dir:",
        "identity.key, dht/, blobs/, runs/, crdt/, certificates/, state.ckpt. Runs with open admission are served, not trained."},
    footer = {"", "Examples:",
        "  weft key new --out ~/.weft/identity.key      (send the printed peer id to the run's coordinator for its allowlist)",
        "  weft node --run 12D3KooW.../tiny-example --bootstrap /ip4/10.0.0.1/tcp/4001/p2p/12D3KooW...",
        "  weft node --run 12D3KooW.../tiny-example --bootstrap /ip4/10.0.0.1/tcp/4001/p2p/12D3KooW... --dir ~/.weft-2 --json",
        "  weft node --config node.toml          ([node] run = \"...\", bootstrap = [\"...\"], dir = \"...\")",
        "  weft node --run ... --bootstrap ... --relay /ip4/203.0.113.7/tcp/4001/p2p/12D3KooW...   (keep a slot on this relay)",
        "  weft node --run ... --bootstrap ... --no-port-mapping --no-relay-service                 (NAT traversal pieces off)"})
public final class NodeCommand implements Callable<Integer> {
  @Mixin Output out;
  @Mixin ConfigOption config;
  @Mixin RunNetOptions net;
  @Mixin dev.weft.cli.common.NatOptions nat;

  @Option(names = "--run", required = true, paramLabel = "RUN-ID", description = "The run to join: <coordinator peer id>/<name> (from 'weft run list').")
  String runId;

  @Option(names = "--exit-when-ready", description = "Exit once everything is downloaded instead of training and serving (scripts, tests).")
  boolean exitWhenReady;

  @Option(names = "--serve-only", description = "Download and serve the run's blobs, but do not train.")
  boolean serveOnly;

  @Option(names = "--status-every", paramLabel = "SECONDS", defaultValue = "30", description = "A status line this often (default ${DEFAULT-VALUE}; 0: none).")
  int statusSeconds;

  @Option(names = "--linger", paramLabel = "SECONDS", defaultValue = "" + NodeTraining.DEFAULT_LINGER_SECONDS,
      description = "After the run's last round, keep serving it this long so peers still behind can catch up (default ${DEFAULT-VALUE}; 0: exit at once).")
  int lingerSeconds;

  @Option(names = "--misbehave", hidden = true, paramLabel = "ATTACK",
      description = "Testnets only: send crafted contributions instead of honest ones (" + Attacks.NAMES + ").")
  String misbehave;

  @Override public Integer call() throws Exception {
    dev.weft.node.run.SignedManifest.key(runId);
    if (statusSeconds < 0) throw new IllegalArgumentException("--status-every must be 0 or more seconds");
    if (lingerSeconds < 0) throw new IllegalArgumentException("--linger must be 0 or more seconds");
    net.hostLimits(); // a bad --allow-cidr is refused before an identity or a folder is created
    dev.weft.p2p.nat.traversal.NatConfig natConfig = nat.config(net.listen);
    ContributionTransform transform = misbehave == null ? ContributionTransform.HONEST : Attacks.parse(misbehave, java.util.Set.of(), misbehave.hashCode());
    VolunteerNode.Joined joined;
    List<byte[]> shardBytes = new ArrayList<>();
    List<BlobId> serve = new ArrayList<>();
    PrivKey key = net.key();
    try (PeerNode node = net.start(false)) {
      out.say("weft node %s listening on %s", node.peerId().toBase58(), node.addresses().isEmpty() ? "?" : node.addresses().get(0));
      joined = new VolunteerNode(node, net.dir(), this::report).join(runId, net.bootstrap());
      if (exitWhenReady) return 0;
      String cannot = serveOnly ? "--serve-only" : ManifestRunSpec.check(joined.run().manifest());
      if (cannot == null && joined.checkpoint().round() != 0) cannot = "the run's checkpoint is at round " + joined.checkpoint().round() + ", not round 0";
      if (cannot != null) return serve(node, joined, cannot);
      for (BlobId s : joined.shards()) shardBytes.add(node.blobs().read(s));
      serve.add(joined.run().manifest().model().checkpoint());
      serve.addAll(joined.shards());
    }
    // The download peer is closed: the round runtime reopens the same directory (DHT records, blobs).
    return new NodeTraining(out, statusSeconds).linger(lingerSeconds).run(key, joined.run().manifest(), joined.checkpoint().theta(), shardBytes, serve, net.dir(),
        net.listen, net.bootstrap(), transform, net.hostLimits(), natConfig);
  }

  private int serve(PeerNode node, VolunteerNode.Joined joined, String why) throws Exception {
    out.say("serving %d blobs, not training: %s (Ctrl-C to stop)", node.blobs().complete().size(), why);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "weft-node-stop"));
    while (statusSeconds == 0 ? !stop.await(1, TimeUnit.DAYS) : !stop.await(statusSeconds, TimeUnit.SECONDS)) {
      if (statusSeconds > 0) status(node);
    }
    ObjectNode r = Output.object();
    r.put("event", "stopped");
    r.put("run", joined.run().runId());
    r.put("bytesServed", node.blocks().bytesServed());
    out.result(r, "weft node: stopped after serving " + ByteSize.format(node.blocks().bytesServed()));
    return 0;
  }

  private void status(PeerNode node) throws Exception {
    int table = node.routingTableSize().get(10, TimeUnit.SECONDS);
    long peers = node.host().connections().stream().map(c -> c.remotePeer()).distinct().count();
    ObjectNode j = Output.object();
    j.put("event", "status").put("peers", peers).put("routingTable", table)
        .put("bytesServed", node.blocks().bytesServed()).put("bytesFetched", node.blocks().bytesFetched()).put("requestsServed", node.blocks().requestsServed())
        .put("rssBytes", ResidentMemory.bytes());
    if (out.json()) out.json(j);
    else out.say("status: %d peers connected, %d in the routing table; served %s to others (%d requests), fetched %s; %s resident", peers,
        table, ByteSize.format(node.blocks().bytesServed()), node.blocks().requestsServed(),
        ByteSize.format(node.blocks().bytesFetched()), ByteSize.format(Math.max(0, ResidentMemory.bytes())));
  }

  private void report(NodeEvent e) {
    ObjectNode j = Output.object();
    String human = switch (e) {
      case NodeEvent.Joined x -> {
        j.put("event", "joined").put("routingTable", x.routingTableSize());
        yield "joined the network: " + x.routingTableSize() + " peers in the routing table";
      }
      case NodeEvent.RunVerified x -> {
        j.put("event", "run-verified").put("run", x.runId()).put("fromDisk", x.fromDisk());
        yield "run " + x.runId() + ": manifest signature verified" + (x.fromDisk() ? " (saved by an earlier session)" : "");
      }
      case NodeEvent.Downloading x -> {
        j.put("event", "downloading").put("role", x.role()).put("blob", x.blob().toString());
        yield "downloading the " + x.role() + " " + x.blob() + " from its providers";
      }
      case NodeEvent.Downloaded x -> {
        j.put("event", "downloaded").put("role", x.role()).put("blob", x.blob().toString()).put("bytes", x.bytes()).put("fetchedChunks", x.fetched())
            .put("resumedChunks", x.resumed()).put("providers", x.providersUsed()).put("millis", x.millis());
        yield x.fetched() == 0 ? x.role() + " " + x.blob() + " (" + ByteSize.format(x.bytes()) + ") held already"
            : String.format("%s %s: %s in %.1f s from %d providers%s", x.role(), x.blob(), ByteSize.format(x.bytes()), x.millis() / 1000.0, x.providersUsed(),
                x.resumed() > 0 ? " (" + x.resumed() + " chunks resumed)" : "");
      }
      case NodeEvent.CheckpointVerified x -> {
        j.put("event", "checkpoint-verified").put("blob", x.blob().toString()).put("model", x.model()).put("round", x.round()).put("parameters", x.parameters());
        yield "checkpoint verified: " + x.model() + " at round " + x.round() + ", " + x.parameters() + " parameters";
      }
      case NodeEvent.Ready x -> {
        j.put("event", "ready").put("blobsServed", x.blobsServed());
        yield "ready: holding and serving " + x.blobsServed() + " blobs";
      }
      case NodeEvent.Problem x -> {
        j.put("event", "problem").put("what", x.what());
        yield "note: " + x.what();
      }
    };
    if (out.json()) out.json(j);
    else out.say(human);
  }
}
