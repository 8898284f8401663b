package dev.weft.cli.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.common.ByteSize;
import dev.weft.cli.common.Output;
import dev.weft.node.blocks.BlobId;
import dev.weft.node.run.RunManifest;
import dev.weft.node.runtime.ContributionTransform;
import dev.weft.node.runtime.ManifestRunSpec;
import dev.weft.node.runtime.NodeRuntime;
import dev.weft.node.runtime.RoundRecord;
import dev.weft.node.runtime.RunSpec;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.Trainer;
import dev.weft.node.train.data.Shard;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.WindowSampler;
import dev.weft.node.train.torch.TorchTrainer;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The training half of {@code weft node}: once the volunteer has verified the manifest and holds
 * the checkpoint and its shards, the round runtime ({@link NodeRuntime}) takes over the same
 * identity, directory and listen address, trains H inner steps per round on a one-thread pool,
 * contributes, votes, applies certified rounds, checkpoints, and serves the run's blobs to later
 * joiners. This class only wires it up and tells the volunteer what happens, a line per event
 * (JSON lines with {@code --json}).
 *
 * <p>Validation loss is measured on a tenth of the volunteer's own shards, held out from its
 * training data, on a thread of its own after every applied round; each volunteer's figure is
 * therefore on different text, but its trend is what a volunteer wants to see.
 */
final class NodeTraining {
  /** Validation batches per evaluation: enough for a stable trend, cheap next to a round. */
  static final int VALIDATION_BATCHES = 8;

  private final Output out;
  private final int statusSeconds;
  private ExecutorService evaluator;
  private Trainer evalTrainer;
  private volatile long startNanos;
  private volatile long roundsApplied;
  /** Counted down once the run's last round has been printed. */
  private final CountDownLatch lastRoundPrinted = new CountDownLatch(1);
  private volatile double lastValidation = Double.NaN;

  /** How long a node that finished the run keeps serving it before it exits. */
  private int lingerSeconds = DEFAULT_LINGER_SECONDS;

  /** The default of {@code weft node --linger}. */
  static final int DEFAULT_LINGER_SECONDS = 60;

  NodeTraining linger(int seconds) {
    if (seconds < 0) throw new IllegalArgumentException("--linger must be 0 or more seconds");
    this.lingerSeconds = seconds;
    return this;
  }

  NodeTraining(Output out, int statusSeconds) {
    this.out = out;
    this.statusSeconds = statusSeconds;
  }

  /**
   * The volunteer's own data: its shards concatenated and cut into ten pieces (at least a context
   * window each), every tenth held out for validation.
   */
  static ShardedDataset ownData(List<byte[]> shards, int context) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] s : shards) all.writeBytes(s);
    byte[] corpus = all.toByteArray();
    int piece = Math.max(context + 1, corpus.length / ShardedDataset.VALIDATION_EVERY);
    if (corpus.length < 2 * piece) {
      throw new IllegalStateException("this node's shards hold " + corpus.length + " bytes: too little for a model with a context of " + context
          + " (at least " + 2 * (context + 1) + " bytes are needed, for training and validation)");
    }
    return ShardedDataset.split(corpus, piece, context + 1);
  }

  /** Trains until the run's last round or until stopped; returns the exit status. */
  int run(PrivKey key, RunManifest m, float[] theta0, List<byte[]> shardBytes, List<BlobId> serve, Path dir, List<String> listen,
      List<Multiaddr> bootstrap, ContributionTransform transform, dev.weft.p2p.resource.ResourceLimits hostLimits,
      dev.weft.p2p.nat.traversal.NatConfig nat) throws Exception {
    RunSpec spec = ManifestRunSpec.of(m, theta0);
    ModelSpec model = spec.modelSpec();
    ShardedDataset data = ownData(shardBytes, model.context());
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> daemon(r, "weft-train"));
    evaluator = Executors.newSingleThreadExecutor(r -> daemon(r, "weft-eval"));
    List<Shard> validation = data.validation();
    NodeRuntime.Options o = NodeRuntime.Options.of(key, m.id(), spec, dir, bootstrap, pool, data, TorchTrainer::new, "node")
        .withListen(listen).withHostLimits(hostLimits).withNat(nat).withInitialTheta(theta0).withOwnData(true).withTransform(transform).withListener(listener(spec, validation));
    CountDownLatch stop = new CountDownLatch(1), quit = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      quit.countDown();
      stop.countDown();
    }, "weft-node-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    startNanos = System.nanoTime();
    try (NodeRuntime node = NodeRuntime.start(o)) {
      for (BlobId b : serve) node.serveBlob(b);
      ObjectNode j = Output.object().put("event", "training").put("run", m.id()).put("peerId", node.peerId().toBase58())
          .put("round", node.round()).put("rounds", spec.rounds()).put("trainBytes", data.trainBytes());
      ArrayNode a = j.putArray("addresses");
      for (Multiaddr x : node.addresses()) a.add(x.toString());
      emit(j, String.format(Locale.ROOT, "training %s at round %d of %s on %s of data; listening on %s", spec.model(), node.round(),
          spec.rounds() == 0 ? "an open-ended run" : String.valueOf(spec.rounds()), ByteSize.format(data.trainBytes()),
          node.addresses().isEmpty() ? "?" : node.addresses().get(0)));
      node.finished().whenComplete((v, e) -> stop.countDown());
      // A halted round machine (it saw a certificate it cannot follow) never finishes: poll for it.
      long nextStatus = System.nanoTime() + TimeUnit.SECONDS.toNanos(statusSeconds);
      String natLine = null;
      while (!stop.await(1, TimeUnit.SECONDS) && node.haltReason() == null) {
        // What NAT traversal found, each time it changes: the volunteer's answer to "can others reach me?"
        String natNow = nat == dev.weft.p2p.nat.traversal.NatConfig.OFF || node.nat() == null ? null : node.nat().report().line();
        if (natNow != null && !natNow.equals(natLine)) {
          natLine = natNow;
          emit(Output.object().put("event", "nat").put("what", natNow), "nat: " + natNow);
        }
        if (statusSeconds > 0 && System.nanoTime() - nextStatus >= 0) {
          status(node, spec);
          nextStatus = System.nanoTime() + TimeUnit.SECONDS.toNanos(statusSeconds);
        }
      }
      boolean done = node.finished().isDone();
      // The last round's event follows the CRDT root on another thread: let it print first.
      if (done) {
        lastRoundPrinted.await(5, TimeUnit.SECONDS);
        // ...and its validation loss, which the finished line reports.
        evaluator.shutdown();
        evaluator.awaitTermination(60, TimeUnit.SECONDS);
      }
      String halt = node.haltReason();
      ObjectNode r = Output.object().put("event", done ? "finished" : "stopped").put("run", m.id()).put("round", node.round())
          .put("roundBytesOut", node.roundBytesOut()).put("roundBytesIn", node.roundBytesIn()).put("bytesServed", node.blobBytesServed())
          .put("rssBytes", ResidentMemory.bytes());
      if (!Double.isNaN(lastValidation)) r.put("validationLoss", lastValidation);
      if (halt != null) r.put("halted", halt);
      emit(r, done ? String.format(Locale.ROOT, "run %s finished at round %d%s", m.id(), node.round(),
          Double.isNaN(lastValidation) ? "" : String.format(Locale.ROOT, "; validation loss %.4f", lastValidation))
          : halt != null ? "halted at round " + node.round() + ": " + halt
          : "stopped at round " + node.round() + "; restart with the same --dir to resume");
      if (done && lingerSeconds > 0 && quit.getCount() > 0) {
        // Peers still behind (a restarted node, a slow one) replay the last rounds from us; a node
        // that left at once could strand them one round short of the end with nobody to ask.
        emit(Output.object().put("event", "lingering").put("seconds", lingerSeconds),
            "serving the finished run for " + lingerSeconds + " s more so that peers behind can catch up (Ctrl-C to stop)");
        quit.await(lingerSeconds, TimeUnit.SECONDS);
      }
      return halt != null ? 1 : 0;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already
      }
      pool.shutdownNow();
      evaluator.shutdownNow();
      evaluator.awaitTermination(10, TimeUnit.SECONDS);
      if (evalTrainer != null) evalTrainer.close();
    }
  }

  private NodeRuntime.Listener listener(RunSpec spec, List<Shard> validation) {
    return new NodeRuntime.Listener() {
      @Override public void status(NodeRuntime node, String line) {
        emit(Output.object().put("event", "status").put("round", node.round()).put("what", line), line);
      }

      @Override public void applied(NodeRuntime node, RoundRecord rec, float[] theta) {
        roundsApplied++;
        int included = 0, down = 0, rejected = 0;
        ObjectNode j = Output.object().put("event", "round").put("round", rec.round()).put("thetaHash", rec.thetaHash())
            .put("stateRoot", rec.stateRoot()).put("crdtRoot", rec.crdtRoot()).put("contributed", rec.contributed())
            // Published is not included: a contribution that missed the certificate's cut-off is not in the round.
            .put("included", rec.fateOf(node.peerId().toBase58()) != null).put("peers", node.live().size())
            .put("roundBytesOut", node.roundBytesOut()).put("roundBytesIn", node.roundBytesIn());
        connections(node, j);
        if (!Double.isNaN(rec.trainLoss())) j.put("trainLoss", rec.trainLoss());
        ArrayNode fates = j.putArray("fates");
        for (RoundRecord.Fate f : rec.fates()) {
          fates.addObject().put("peer", f.peer()).put("verdict", f.verdict().name().toLowerCase(Locale.ROOT)).put("influence", f.influence())
              .put("reason", f.reason());
          switch (f.verdict()) {
            case ACCEPTED -> included++;
            case DOWNWEIGHTED -> down++;
            case REJECTED -> rejected++;
          }
        }
        ArrayNode bans = j.putArray("bans");
        for (RoundRecord.Ban b : rec.banned()) bans.addObject().put("peer", b.peer()).put("evidence", b.evidence());
        if (rec.aggregateFailure() != null) j.put("aggregateFailure", rec.aggregateFailure());
        String eta = eta(spec, rec.round());
        if (eta != null) j.put("etaSeconds", Long.parseLong(eta));
        emit(j, String.format(Locale.ROOT, "round %d applied: %d contributions (%d included, %d down-weighted, %d rejected)%s; %d peers; "
            + "round-protocol traffic so far %s out, %s in%s", rec.round(), rec.fates().size(), included, down, rejected,
            Double.isNaN(rec.trainLoss()) ? "" : String.format(Locale.ROOT, ", train loss %.4f", rec.trainLoss()), node.live().size(),
            ByteSize.format(node.roundBytesOut()), ByteSize.format(node.roundBytesIn()), eta == null ? "" : ", about " + eta + " s to go")
            + (rec.banned().isEmpty() ? "" : "; banned " + String.join(", ", rec.banned().stream().map(RoundRecord.Ban::peer).toList())));
        float[] copy = theta.clone();
        evaluator.execute(() -> evaluate(spec, validation, rec.round(), copy));
        // Only now: the main thread shuts the evaluator down once the last round is printed, and
        // the last round's validation loss must already be queued (it was lost to that race).
        if (spec.rounds() > 0 && rec.round() >= spec.rounds() - 1) lastRoundPrinted.countDown();
      }

      @Override public void resynced(NodeRuntime node, long from, long to, String why) {
        emit(Output.object().put("event", "caught-up").put("from", from).put("to", to).put("why", why),
            "caught up from round " + from + " to " + to + " (" + why + ")");
      }
    };
  }

  private void evaluate(RunSpec spec, List<Shard> validation, long round, float[] theta) {
    try {
      ModelSpec model = spec.modelSpec();
      if (evalTrainer == null) evalTrainer = new TorchTrainer(model, spec.inner(), theta);
      evalTrainer.loadParameters(theta);
      // A small shard's held-out tenth may hold fewer windows than one training batch: evaluate on what there is.
      int windows = 0;
      for (Shard s : validation) for (int start = 0; start + model.context() < s.data().length; start += model.context()) windows++;
      int rows = Math.max(1, Math.min(spec.rows(), windows));
      double l = evalTrainer.evaluate(WindowSampler.evaluationBatches(validation, rows, model.context(), VALIDATION_BATCHES));
      lastValidation = l;
      emit(Output.object().put("event", "validation").put("round", round).put("loss", l),
          String.format(Locale.ROOT, "round %d: validation loss %.4f on this node's held-out text", round, l));
    } catch (RuntimeException e) {
      emit(Output.object().put("event", "problem").put("what", "validation failed: " + e.getMessage()), "note: validation failed: " + e.getMessage());
    }
  }

  /** Seconds to the run's end at the mean pace so far; null for an open-ended run or before a round. */
  private String eta(RunSpec spec, long round) {
    if (spec.rounds() == 0 || roundsApplied == 0) return null;
    double perRound = (System.nanoTime() - startNanos) / 1e9 / roundsApplied;
    long left = Math.max(0, spec.rounds() - (round + 1));
    return String.valueOf(Math.round(perRound * left));
  }

  private void status(NodeRuntime node, RunSpec spec) {
    ObjectNode j = Output.object().put("event", "progress").put("round", node.round()).put("phase", node.phase()).put("peers", node.live().size())
        .put("roundBytesOut", node.roundBytesOut()).put("roundBytesIn", node.roundBytesIn()).put("rssBytes", ResidentMemory.bytes());
    emit(j, String.format(Locale.ROOT, "status: round %d%s, %s; %d peers live; round-protocol traffic so far %s out, %s in; %s resident", node.round(),
        spec.rounds() == 0 ? "" : " of " + spec.rounds(), node.phase(), node.live().size(), ByteSize.format(node.roundBytesOut()),
        ByteSize.format(node.roundBytesIn()), ByteSize.format(Math.max(0, ResidentMemory.bytes()))));
  }

  /**
   * How this node is connected now: peers with a direct connection, peers reached only through a
   * relay (a limited connection), and its hole punches so far — the testnet's NAT topologies read it.
   */
  private static void connections(NodeRuntime node, ObjectNode j) {
    java.util.Set<dev.weft.p2p.api.PeerId> direct = new java.util.HashSet<>(), relayed = new java.util.HashSet<>();
    for (dev.weft.p2p.api.Connection c : node.host().connections()) (c.isLimited() ? relayed : direct).add(c.remotePeer());
    relayed.removeAll(direct);
    j.put("directPeers", direct.size()).put("relayedPeers", relayed.size());
    if (node.nat() != null) {
      dev.weft.p2p.nat.traversal.NatTraversal.Report r = node.nat().report();
      j.put("reachability", r.policy().reachability().name().toLowerCase(Locale.ROOT)).put("holePunchesDirect", r.holePunchesDirect())
          .put("holePunchesFailed", r.holePunchesFailed()).put("relayAddresses", r.circuitAddresses().size());
    }
  }

  private void emit(ObjectNode j, String human) {
    synchronized (out) {
      if (out.json()) out.json(j);
      else out.say("%s", human);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
