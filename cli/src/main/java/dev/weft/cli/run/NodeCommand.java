package dev.weft.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.common.ByteSize;
import dev.weft.cli.common.ConfigOption;
import dev.weft.cli.common.Output;
import dev.weft.node.peer.NodeEvent;
import dev.weft.node.peer.PeerNode;
import dev.weft.node.peer.VolunteerNode;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weft node}: a volunteer joins a run. This first version joins the DHT, finds and verifies
 * the manifest, downloads and checks the checkpoint and its shards from every provider, and serves
 * its blobs; training and the round protocol plug in where {@link VolunteerNode#join} returns.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {"Join a run as a volunteer: find its signed manifest in the DHT, download the checkpoint and your shards",
        "from every peer that has them (verified chunk by chunk, resumed after a restart), then serve them to others.",
        "State lives in --dir: identity.key, dht/, blobs/, runs/. Training rounds join this command in a later version."},
    footer = {"", "Examples:",
        "  weft node --run 12D3KooW.../tiny-example --bootstrap /ip4/10.0.0.1/tcp/4001/p2p/12D3KooW...",
        "  weft node --run 12D3KooW.../tiny-example --bootstrap /ip4/10.0.0.1/tcp/4001/p2p/12D3KooW... --dir ~/.weft-2 --json",
        "  weft node --config node.toml          ([node] run = \"...\", bootstrap = [\"...\"], dir = \"...\")"})
public final class NodeCommand implements Callable<Integer> {
  @Mixin Output out;
  @Mixin ConfigOption config;
  @Mixin RunNetOptions net;

  @Option(names = "--run", required = true, paramLabel = "RUN-ID", description = "The run to join: <coordinator peer id>/<name> (from 'weft run list').")
  String runId;

  @Option(names = "--exit-when-ready", description = "Exit once everything is downloaded instead of serving (scripts, tests).")
  boolean exitWhenReady;

  @Override public Integer call() throws Exception {
    dev.weft.node.run.SignedManifest.key(runId);
    try (PeerNode node = net.start(false)) {
      out.say("weft node %s listening on %s", node.peerId().toBase58(), node.addresses().isEmpty() ? "?" : node.addresses().get(0));
      VolunteerNode.Joined joined = new VolunteerNode(node, net.dir(), this::report).join(runId, net.bootstrap());
      if (exitWhenReady) return 0;
      out.say("serving %d blobs; training joins when the round protocol lands (Ctrl-C to stop)", node.blobs().complete().size());
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "weft-node-stop"));
      stop.await();
      ObjectNode r = Output.object();
      r.put("event", "stopped");
      r.put("run", joined.run().runId());
      r.put("bytesServed", node.blocks().bytesServed());
      out.result(r, "weft node: stopped after serving " + ByteSize.format(node.blocks().bytesServed()));
      return 0;
    }
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
