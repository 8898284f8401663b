package dev.weft.node.runtime;

import dev.weft.aggregation.AggregationInput;
import dev.weft.aggregation.AggregationResult;
import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.InputReport;
import dev.weft.aggregation.Verdict;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.aggregation.codec.MalformedUpdateException;
import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.net.CrdtStateService;
import dev.weft.crdt.replica.Replica;
import dev.weft.crdt.replica.ReplicaConfig;
import dev.weft.crdt.replica.ReplicaStore;
import dev.weft.crdt.replica.RocksReplicaStore;
import dev.weft.crdt.run.RunSchema;
import dev.weft.crdt.run.RunState;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.HybridClock;
import dev.weft.dht.DhtConfig;
import dev.weft.dht.host.KadDht;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.dht.store.RocksDhtStore;
import dev.weft.node.http.TrainingStatus;
import dev.weft.node.runtime.RoundMessage.Contribution;
import dev.weft.node.runtime.RoundMessage.Digest;
import dev.weft.node.runtime.RoundMessage.SealEntry;
import dev.weft.node.train.BatchSource;
import dev.weft.node.train.InnerResult;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.OptimizerState;
import dev.weft.node.train.Trainer;
import dev.weft.node.train.checkpoint.Checkpoint;
import dev.weft.node.train.checkpoint.CheckpointCodec;
import dev.weft.node.train.checkpoint.CheckpointFiles;
import dev.weft.node.train.data.Shard;
import dev.weft.node.train.data.ShardAssignment;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.WindowSampler;
import dev.weft.node.train.diloco.LocalDiloco;
import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Multihash;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.gossipsub.GossipsubConfig;
import dev.weft.p2p.pubsub.gossipsub.GossipsubService;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreParams;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreThresholds;
import dev.weft.p2p.pubsub.gossipsub.TopicScoreParams;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.SystemScheduler;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One volunteer, composed: a libp2p host (TCP, Noise, Yamux), gossipsub, the Kademlia DHT, the run's
 * CRDT state, a trainer and a {@link RoundDriver}, all driven from one serial executor ("the
 * runtime thread"); training runs on an injected bounded pool, never on the host's threads.
 *
 * <p>Life cycle: {@link #start} listens, joins the DHT through the bootstrap peers, finds the run
 * spec (DHT record {@code /weft/run/<coordinator>/<name>}) unless given, advertises itself as a
 * provider of the run and connects to the others it finds, opens the CRDT replica (in
 * {@code dir}), records its membership, loads its checkpoint from {@code dir} or starts from the
 * run's initial parameters, asks peers for a newer checkpoint, and starts the round loop.
 * Each round: train H inner steps, encode Δ, publish it, let the driver fix the set, aggregate the
 * set with the run's robust rule, apply the outer Nesterov step. Every
 * {@link RunSpec#checkpointEvery} rounds the checkpoint is written to {@code dir}.
 *
 * <p>Seams: the round protocol is a {@link RoundDriver} ({@link LeaderSealDriver} today: not BFT);
 * contributions travel inline on gossip (stand-in for block-exchange blobs); checkpoints come from
 * a {@link CheckpointSource} ({@link CheckpointExchange} today).
 */
public final class NodeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);
  /** How often membership (CRDT members ∩ connected) is recomputed and providers looked up. */
  static final long MEMBERSHIP_PERIOD_MILLIS = 500;
  static final long DISCOVERY_PERIOD_MILLIS = 3_000;
  static final long START_TIMEOUT_MILLIS = 30_000;
  /** A connected live member missing from the round topic this long gets a fresh connection. */
  static final long GOSSIP_REPAIR_MILLIS = 5_000;
  /** Peers asked for a checkpoint at once. */
  static final int CHECKPOINT_ASK = 4;

  /** Notified on the runtime thread; must not block for long. */
  public interface Listener {
    default void status(NodeRuntime node, String line) {}

    default void applied(NodeRuntime node, RoundRecord record, float[] theta) {}

    default void resynced(NodeRuntime node, long fromRound, long toRound, String why) {}
  }

  /**
   * @param runId {@code <coordinator base58>/<name>}
   * @param spec the run spec when known (the coordinator, tests); null to read it from the DHT
   * @param dir node state (CRDT replica, DHT records, checkpoint); null keeps everything in memory
   * @param trainPool where training runs (bounded; shared by all nodes of a testnet)
   */
  public record Options(PrivKey key, String runId, RunSpec spec, Path dir, List<String> listen, List<Multiaddr> bootstrap,
      Executor trainPool, ShardedDataset data, TrainerFactory trainers, ContributionTransform transform, Listener listener,
      RoundWire.Limits wireLimits, int maxCheckpointBytes, long checkpointTimeoutMillis, String label, CompletableFuture<Void> startGate) {
    public Options {
      if (runId == null || runId.indexOf('/') < 1) throw new IllegalArgumentException("run id must be <coordinator peer id>/<name>: " + runId);
      listen = listen == null || listen.isEmpty() ? List.of("/ip4/127.0.0.1/tcp/0") : List.copyOf(listen);
      bootstrap = bootstrap == null ? List.of() : List.copyOf(bootstrap);
      if (transform == null) transform = ContributionTransform.HONEST;
      if (listener == null) listener = new Listener() {};
      if (wireLimits == null) wireLimits = RoundWire.Limits.defaults();
      if (maxCheckpointBytes < 64) throw new IllegalArgumentException("maxCheckpointBytes must be at least 64");
      if (checkpointTimeoutMillis < 1) throw new IllegalArgumentException("checkpointTimeoutMillis must be positive");
      if (startGate == null) startGate = CompletableFuture.completedFuture(null);
    }

    /** Defaults for the limits: 1 MiB round messages, 256 MiB checkpoints fetched within 60 s. */
    public static Options of(PrivKey key, String runId, RunSpec spec, Path dir, List<Multiaddr> bootstrap, Executor trainPool,
        ShardedDataset data, TrainerFactory trainers, String label) {
      return new Options(key, runId, spec, dir, null, bootstrap, trainPool, data, trainers, null, null, null, 256 << 20, 60_000, label, null);
    }

    public Options withTransform(ContributionTransform t) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, t, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate);
    }

    public Options withListener(Listener l) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, l, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate);
    }

    public Options withStartGate(CompletableFuture<Void> gate) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, gate);
    }

    public Options withListen(List<String> addrs) {
      return new Options(key, runId, spec, dir, addrs, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate);
    }
  }

  /** Builds this node's trainer. */
  @FunctionalInterface
  public interface TrainerFactory {
    Trainer create(ModelSpec model, dev.weft.node.train.AdamWConfig inner, float[] initial);
  }

  private final Options o;
  private final SystemScheduler rt;
  private final TrainingStatus training = new TrainingStatus();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final AtomicLong roundBytesOut = new AtomicLong(), roundBytesIn = new AtomicLong();
  private final Map<Long, TreeMap<PeerId, Contribution>> blobs = new HashMap<>();
  private HostBuilder.Built built;
  private BasicHost host;
  private GossipsubService gossip;
  private KadDht dht;
  private CrdtStateService crdt;
  private RunState state;
  private ReplicaStore replicaStore = ReplicaStore.NONE;
  private CheckpointExchange checkpoints;
  private RunSpec spec;
  private PeerId coordinator;
  private String topic;
  private Trainer trainer;
  private RoundDriver driver;
  private Aggregator rule;
  private Codec codec;
  private OuterStep outer;
  private float[] theta;
  private float[] previousAggregate;
  private volatile long round;
  private long roundStartedAt, contributedAt;
  private boolean contributed;
  private double lastTrainLoss = Double.NaN;
  private long lastComputeMillis;
  private Cancellable timer;
  private final List<Cancellable> periodic = new ArrayList<>();
  private volatile Set<PeerId> live = Set.of();
  private final Map<PeerId, Long> missingSince = new HashMap<>();
  private List<Shard> shards;
  private BatchSource stream;
  private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
  private float[] pendingOwn;
  private long pendingRound = -1, pendingDeadline;
  private boolean resyncing;
  private int resyncs;
  private volatile boolean closed;
  private volatile String phase = "starting";

  private NodeRuntime(Options o) {
    this.o = o;
    this.rt = new SystemScheduler("weft-rt-" + (o.label() == null ? "node" : o.label()));
  }

  /** Starts a node and returns once it is in its first round (or fails). */
  public static NodeRuntime start(Options options) throws IOException {
    NodeRuntime n = new NodeRuntime(options);
    try {
      n.boot();
      return n;
    } catch (IOException | RuntimeException e) {
      n.close();
      throw e;
    }
  }

  private void boot() throws IOException {
    long bootStart = System.nanoTime();
    PeerId self = PeerId.fromPublicKey(o.key().publicKey());
    String[] id = o.runId().split("/", 2);
    coordinator = PeerId.parse(id[0]);
    HostBuilder b = BasicHost.builder().privateKey(o.key()).transport(TcpTransport::new);
    for (String a : o.listen()) b.listen(Multiaddr.parse(a));
    built = b.buildWithServices();
    host = built.host();
    await(host.start(), "listen");
    PeerScoreParams params = PeerScoreParams.defaults(Map.of()).withDefaultTopic(TopicScoreParams.defaults())
        .withIpColocationWhitelist(Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1"));
    gossip = new GossipsubService(host, host.scheduler(), new Random(seedOf(self)), GossipsubConfig.defaults(), params,
        PeerScoreThresholds.defaults(), this::onGossip);
    gossip.start();
    DhtStore store = o.dir() == null ? new MemoryDhtStore() : RocksDhtStore.open(o.dir().resolve("dht"));
    dht = KadDht.install(host, DhtConfig.defaults(), store, ValidatorRegistry.standard(dev.weft.p2p.crypto.Keys::unmarshalPublicKey), built.ping(), true);
    host.own(dht);
    host.own(store);
    if (!o.bootstrap().isEmpty()) {
      try {
        await(dht.bootstrap(o.bootstrap()), "join the DHT");
      } catch (IOException e) {
        LOG.warn("{}: DHT bootstrap: {}", label(), e.getMessage());
      }
    }
    LOG.info("{}: listening, DHT joined after {} ms", label(), (System.nanoTime() - bootStart) / 1_000_000);
    spec = o.spec() != null ? o.spec() : findSpec(id[1]);
    LOG.info("{}: run spec after {} ms", label(), (System.nanoTime() - bootStart) / 1_000_000);
    topic = "weft/run/" + o.runId() + "/round";
    rule = spec.aggregatorRule();
    codec = spec.codecImpl();
    checkpoints = new CheckpointExchange(host, host.scheduler(), o.maxCheckpointBytes(), o.checkpointTimeoutMillis());
    checkpoints.install();
    if (o.dir() != null) {
      Files.createDirectories(o.dir());
      replicaStore = new RocksReplicaStore(o.dir().resolve("crdt"), false);
    }
    Replica replica = new Replica(o.runId(), RunSchema.standard(coordinator, QuorumCertificate.verifier(Set.of(coordinator), 1), null),
        o.key(), new HybridClock(System::currentTimeMillis, 60_000), ReplicaConfig.defaults(), replicaStore);
    crdt = new CrdtStateService(host, gossip, host.scheduler(), replica, SyncConfig.defaults(), new Random(seedOf(self) + 1));
    crdt.start().join();
    state = new RunState(replica);
    String addrs = String.join(" ", host.listenAddresses().stream().map(a -> a.withPeerId(self).toString()).toList());
    crdt.call(() -> crdt.publish(state.join(Bytes.utf8(addrs))));
    await(gossip.subscribe(topic), "subscribe");
    discover();
    // Parameters: our own checkpoint if we have one, else the run's initial θ; a newer one from peers below.
    Checkpoint mine = readOwnCheckpoint();
    ModelSpec model = spec.modelSpec();
    if (mine != null) {
      theta = mine.theta();
      outer = new OuterStep(spec.outer(), mine.outerMomentum(), mine.round());
      round = mine.round();
    } else {
      theta = model.initialParameters(spec.seed());
      if (!Digest.ofFloats(theta).hex().equals(spec.initialHash())) throw new IOException("initial parameters do not match the run's initial hash");
      outer = new OuterStep(spec.outer(), theta.length);
      round = 0;
    }
    trainer = o.trainers().create(model, spec.inner(), theta);
    if (round > 0) trainer.loadOptimizerState(new OptimizerState(round * spec.innerSteps(), new float[theta.length], new float[theta.length]));
    serveCheckpoint(round);
    driver = new LeaderSealDriver(o.runId(), self, spec.driverConfig());
    LOG.info("{}: ready after {} ms", label(), (System.nanoTime() - bootStart) / 1_000_000);
    periodic.add(rt.scheduleAtFixedRate(MEMBERSHIP_PERIOD_MILLIS, MEMBERSHIP_PERIOD_MILLIS, this::refreshMembers));
    periodic.add(rt.scheduleAtFixedRate(DISCOVERY_PERIOD_MILLIS, DISCOVERY_PERIOD_MILLIS, this::discover));
    o.startGate().whenComplete((v, e) -> rt.execute(() -> catchUp("joining", () -> beginRound(round))));
  }

  // ------------------------------------------------------------------------- discovery and membership

  private RunSpec findSpec(String name) throws IOException {
    byte[] key = Keys.runKey(coordinator, name);
    for (int attempt = 0; attempt < 5; attempt++) {
      var r = await(dht.node().getValue(key, false), "look the run up in the DHT");
      if (r.value().isPresent()) {
        try {
          var sv = dev.weft.dht.pb.WeftRecordProto.SignedValue.parseFrom(r.value().get());
          return RunSpec.decode(sv.getPayload().toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new IOException("run record is malformed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
          throw new IOException("run " + o.runId() + ": " + e.getMessage());
        }
      }
      sleep(500);
    }
    throw new IOException("run " + o.runId() + " not found in the DHT");
  }

  /** Provider key of the run: volunteers announce themselves under it and find each other by it. */
  private byte[] runProviderKey() {
    return Multihash.sha256(("weft-run:" + o.runId()).getBytes(StandardCharsets.UTF_8)).bytes();
  }

  private void discover() {
    if (closed) return;
    dht.node().provide(runProviderKey()).exceptionally(e -> null);
    dht.node().findProviders(runProviderKey(), 64, false).thenAccept(r -> {
      for (PeerInfo p : r.providers()) connectTo(p);
    }).exceptionally(e -> null);
    // Peers the DHT already knows are candidates too (on a small network: everyone).
    host.scheduler().execute(() -> {
      for (PeerInfo p : dht.node().routingTable().closest(dht.node().routingTable().local(), 64)) connectTo(p);
    });
  }

  private void connectTo(PeerInfo p) {
    if (closed || p.id().equals(host.peerId()) || !host.connections(p.id()).isEmpty()) return;
    List<Multiaddr> addrs = new ArrayList<>();
    for (byte[] a : p.addrs()) {
      try {
        addrs.add(Multiaddr.fromBytes(a));
      } catch (RuntimeException e) {
        // a peer's bad address is its problem
      }
    }
    if (addrs.isEmpty()) return;
    host.peerStore().addAddresses(p.id(), addrs, 3_600_000);
    host.connect(p.id()).exceptionally(e -> null);
  }

  private void refreshMembers() {
    if (closed) return;
    // A peer on our round topic whose join record we lack: its record was written before we were
    // connected through the CRDT; one anti-entropy session fetches it.
    gossip.topicPeers(topic).thenAccept(peers -> {
      crdt.call(() -> {
        Set<PeerId> members = state.members().keySet();
        for (PeerId p : peers) if (!members.contains(p)) crdt.syncWith(p);
        return null;
      });
      rt.execute(() -> repairGossip(peers));
    });
    crdt.call(() -> state.members().keySet()).thenAccept(members -> rt.execute(() -> {
      Set<PeerId> connected = new HashSet<>();
      for (Connection c : host.connections()) connected.add(c.remotePeer());
      Set<PeerId> now = new TreeSet<>();
      now.add(host.peerId());
      for (PeerId m : members) if (connected.contains(m)) now.add(m);
      if (!now.equals(live) && driver != null && !closed) {
        live = now;
        act(driver.membersChanged(now, rt.nowMillis()));
      }
    }));
  }

  /**
   * A live member we are connected to but that is not on our round topic: its pubsub stream to us
   * never opened (gossipsub gives up after a stream-open timeout, which a loaded machine hits, and
   * only tries again on a new connection). After {@link #GOSSIP_REPAIR_MILLIS} we reconnect to it.
   */
  private void repairGossip(Set<PeerId> topicPeers) {
    long now = rt.nowMillis();
    missingSince.keySet().retainAll(live);
    for (PeerId p : live) {
      if (p.equals(host.peerId()) || topicPeers.contains(p)) {
        missingSince.remove(p);
        continue;
      }
      long since = missingSince.computeIfAbsent(p, k -> now);
      if (now - since < GOSSIP_REPAIR_MILLIS) continue;
      missingSince.remove(p);
      status("reconnecting to " + LeaderSealDriver.short58(p) + ": connected but not on the round topic");
      List<CompletableFuture<Void>> closing = new ArrayList<>();
      for (Connection c : host.connections(p)) closing.add(c.close());
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).handle((v, e) -> host.connect(p)).exceptionally(e -> null);
    }
  }

  // ------------------------------------------------------------------------- round loop (runtime thread)

  private void beginRound(long r) {
    if (closed) return;
    round = r;
    roundStartedAt = rt.nowMillis();
    contributed = false;
    lastComputeMillis = 0;
    pendingOwn = null;
    phase = "training";
    training.round(r, phase);
    blobs.keySet().removeIf(k -> k < r || k > r + LeaderSealDriver.LOOKAHEAD);
    act(driver.start(r, roundStartedAt));
    for (Contribution c : List.copyOf(blobs.getOrDefault(r, new TreeMap<>()).values())) act(driver.blobHeld(r, c.peer(), c.digest(), rt.nowMillis()));
    float[] base = theta.clone();
    BatchSource data = streamFor(r);
    // After the previous training (abandoned by a catch-up) has let go of the trainer.
    CompletableFuture<InnerResult> f = inFlight.handle((v, e) -> null).thenApplyAsync(v -> {
      trainer.loadParameters(base);
      return trainer.train(data, spec.innerSteps());
    }, o.trainPool());
    inFlight = f;
    f.whenComplete((res, err) -> rt.execute(() -> {
      if (closed || r != round) return;
      if (err != null) {
        status("training failed in round " + r + ": " + err.getMessage());
        return;
      }
      float[] after = res.parameters();
      float[] delta = new float[base.length];
      for (int i = 0; i < delta.length; i++) delta[i] = base[i] - after[i];
      lastTrainLoss = res.metrics().meanLoss();
      lastComputeMillis = res.metrics().nanos() / 1_000_000;
      pendingOwn = delta;
      pendingRound = r;
      pendingDeadline = rt.nowMillis() + spec.cutoffMillis() / 2;
      phase = "contributing";
      training.round(r, phase);
      tryContribute();
    }));
  }

  private BatchSource streamFor(long r) {
    List<String> workers = new ArrayList<>();
    for (PeerId p : live) workers.add(p.toBase58());
    if (!workers.contains(host.peerId().toBase58())) workers.add(host.peerId().toBase58());
    workers.sort(null);
    List<Shard> mine = ShardAssignment.shardsFor(host.peerId().toBase58(), workers, o.data().train());
    if (!mine.equals(shards) || stream == null) {
      shards = mine;
      stream = new WindowSampler(mine, spec.rows(), spec.modelSpec().context(), LocalDiloco.streamSeed(spec.seed(), host.peerId().toBase58(), (int) r));
    }
    return stream;
  }

  private void tryContribute() {
    if (pendingOwn == null || pendingRound != round || closed) return;
    ContributionTransform t = o.transform();
    List<float[]> others = new ArrayList<>();
    if (t.waitsForOthers()) {
      TreeMap<PeerId, Contribution> held = blobs.getOrDefault(round, new TreeMap<>());
      boolean all = true;
      for (PeerId p : live) {
        if (p.equals(host.peerId()) || t.colluders().contains(p)) continue;
        if (!held.containsKey(p)) all = false;
      }
      if (!all && rt.nowMillis() < pendingDeadline) {
        rt.schedule(100, this::tryContribute);
        return;
      }
      for (Contribution c : held.values()) {
        if (c.peer().equals(host.peerId()) || t.colluders().contains(c.peer())) continue;
        try {
          others.add(Codecs.decode(c.payload(), theta.length));
        } catch (MalformedUpdateException e) {
          // not usable as a model of the honest updates
        }
      }
    }
    byte[] payload = t.craft(pendingOwn, others, previousAggregate, round, codec);
    pendingOwn = null;
    Contribution c = new Contribution(o.runId(), round, host.peerId(), Digest.ofFloats(theta).bytes(), (long) spec.innerSteps() * spec.rows() * spec.modelSpec().context(), payload);
    publish(c);
    blobs.computeIfAbsent(round, k -> new TreeMap<>()).put(host.peerId(), c);
    contributed = true;
    contributedAt = rt.nowMillis();
    phase = "waiting for the round to seal";
    training.round(round, phase);
    long r = round;
    Bytes digest = Bytes.of(c.digest().bytes());
    crdt.call(() -> crdt.publish(state.contribute(r, digest)));
    crdt.call(() -> crdt.publish(state.addProgress(spec.innerSteps())));
    act(driver.contributionReady(c, contributedAt));
    republishLater(c, r);
  }

  /**
   * Sends our contribution again while its round is open: a peer whose pubsub stream to us was
   * (re)opened after the first send would otherwise miss it until the cut-off. Receivers keep the
   * first copy per peer, so a repeat costs bytes, never a second vote.
   */
  private void republishLater(Contribution c, long r) {
    long every = Math.max(2_000, spec.cutoffMillis() / 6);
    rt.schedule(every, () -> {
      if (closed || round != r || !contributed) return;
      publish(c);
      republishLater(c, r);
    });
  }

  private void publish(RoundMessage m) {
    byte[] data = RoundWire.encode(m);
    roundBytesOut.addAndGet(data.length);
    gossip.publish(topic, data).exceptionally(e -> null); // no topic peers yet: nothing to do, the seal waits
  }

  private void onGossip(PubsubMessage m, MessageId id, PeerId receivedFrom) {
    if (!topic.equals(m.topic()) || m.data() == null) return;
    byte[] data = m.data();
    roundBytesIn.addAndGet(data.length);
    PeerId author;
    try {
      author = m.from() == null ? null : PeerId.fromBytes(m.from());
    } catch (IllegalArgumentException e) {
      return;
    }
    if (author == null) return;
    rt.execute(() -> onRoundMessage(author, data));
  }

  private void onRoundMessage(PeerId author, byte[] data) {
    if (closed || driver == null) return;
    RoundMessage msg;
    try {
      msg = RoundWire.decode(data, o.wireLimits());
    } catch (RoundWireException e) {
      LOG.debug("{}: bad round message from {}: {}", label(), author, e.getMessage());
      return;
    }
    if (!msg.run().equals(o.runId())) return;
    long now = rt.nowMillis();
    switch (msg) {
      case Contribution c -> {
        if (!c.peer().equals(author)) return; // someone else's name on it: dropped
        if (c.round() < round || c.round() > round + LeaderSealDriver.LOOKAHEAD) return;
        TreeMap<PeerId, Contribution> held = blobs.computeIfAbsent(c.round(), k -> new TreeMap<>());
        if (held.containsKey(author) || held.size() >= spec.driverConfig().maxContributionsPerRound()) return;
        held.put(author, c);
        act(driver.onMessage(author, c, now));
        act(driver.blobHeld(c.round(), author, c.digest(), now));
        if (pendingOwn != null) tryContribute();
      }
      case RoundMessage.Seal s -> {
        if (!s.sealer().equals(author)) return;
        act(driver.onMessage(author, s, now));
      }
    }
  }

  private void act(List<RoundAction> actions) {
    for (RoundAction a : actions) {
      if (closed) return;
      switch (a) {
        case RoundAction.Publish p -> publish(p.message());
        case RoundAction.SetTimer t -> {
          if (timer != null) timer.cancel();
          long delay = Math.max(0, t.atMillis() - rt.nowMillis());
          timer = rt.schedule(delay, () -> {
            if (!closed) act(driver.timerFired(rt.nowMillis()));
          });
        }
        case RoundAction.Status s -> status(s.line());
        case RoundAction.Apply ap -> apply(ap);
        case RoundAction.Resync rs -> catchUp(rs.why(), () -> {});
      }
    }
  }

  private void apply(RoundAction.Apply a) {
    if (a.round() != round) return;
    long t0 = rt.nowMillis();
    phase = "aggregating";
    TreeMap<PeerId, Contribution> held = blobs.getOrDefault(round, new TreeMap<>());
    String base = Digest.ofFloats(theta).hex();
    List<RoundRecord.Fate> fates = new ArrayList<>();
    List<AggregationInput> inputs = new ArrayList<>();
    for (SealEntry e : a.set()) {
      Contribution c = held.get(e.peer());
      String key = e.peer().toBase58();
      if (c == null || !c.digest().equals(e.digest())) throw new IllegalStateException("driver applied a set we do not hold");
      if (!java.util.HexFormat.of().formatHex(c.base()).equals(base)) {
        fates.add(new RoundRecord.Fate(key, Verdict.REJECTED, 0, "trained from other parameters than round " + round + "'s"));
        continue;
      }
      try {
        inputs.add(AggregationInput.of(key, Codecs.decode(c.payload(), theta.length)));
      } catch (MalformedUpdateException ex) {
        fates.add(new RoundRecord.Fate(key, Verdict.REJECTED, 0, "malformed: " + ex.getMessage()));
      }
    }
    String failure = null;
    if (inputs.isEmpty()) {
      failure = a.set().isEmpty() ? "null round: no contributions sealed" : "no usable contribution";
    } else if (inputs.size() < rule.minInputs()) {
      failure = rule.name() + " needs " + rule.minInputs() + " inputs, got " + inputs.size();
      for (AggregationInput in : inputs) fates.add(new RoundRecord.Fate(in.key(), Verdict.REJECTED, 0, failure));
    } else {
      AggregationResult res = rule.aggregate(inputs);
      for (InputReport r : res.reports()) fates.add(new RoundRecord.Fate(r.key(), r.verdict(), r.influence(), r.reason()));
      if (res.succeeded()) {
        previousAggregate = res.aggregate();
        try {
          theta = outer.apply(theta, res.aggregate());
        } catch (IllegalStateException ex) {
          failure = ex.getMessage();
        }
      } else {
        failure = res.failure();
      }
    }
    fates.sort(java.util.Comparator.comparing(RoundRecord.Fate::peer));
    long t1 = rt.nowMillis();
    String hash = Digest.ofFloats(theta).hex();
    RoundRecord rec = new RoundRecord(label(), round, hash, "", a.sealedBy(), fates, failure, lastTrainLoss,
        contributed ? contributedAt - roundStartedAt : t1 - roundStartedAt, contributed ? t0 - contributedAt : 0, t1 - t0, contributed,
        lastComputeMillis, roundStartedAt, contributed ? contributedAt : 0, t1);
    reportOwnFate(rec);
    long applied = round;
    serveCheckpoint(applied + 1);
    if ((applied + 1) % spec.checkpointEvery() == 0) writeOwnCheckpoint(applied + 1);
    float[] snapshot = theta.clone();
    crdt.call(() -> java.util.HexFormat.of().formatHex(state.replica().stateRoot())).whenComplete((root, e) -> rt.execute(() -> {
      RoundRecord full = new RoundRecord(rec.node(), rec.round(), rec.thetaHash(), root == null ? "" : root, rec.sealedBy(), rec.fates(),
          rec.aggregateFailure(), rec.trainLoss(), rec.trainMillis(), rec.waitMillis(), rec.applyMillis(), rec.contributed(),
          rec.computeMillis(), rec.startedAt(), rec.contributedAt(), rec.appliedAt());
      o.listener().applied(this, full, snapshot);
    }));
    if (spec.rounds() > 0 && applied + 1 >= spec.rounds()) {
      round = applied + 1;
      phase = "finished";
      training.round(round, phase);
      status("run finished after round " + applied);
      finished.complete(null);
      return;
    }
    beginRound(applied + 1);
  }

  private void reportOwnFate(RoundRecord rec) {
    if (!rec.contributed()) return;
    RoundRecord.Fate f = rec.fateOf(host.peerId().toBase58());
    String line;
    String fate;
    if (f == null) {
      fate = "left out";
      line = "your contribution for round " + rec.round() + " was not in the sealed set (it arrived after the cut-off)";
    } else {
      fate = switch (f.verdict()) {
        case ACCEPTED -> "included";
        case DOWNWEIGHTED -> "down-weighted";
        case REJECTED -> "rejected";
      };
      line = "your contribution for round " + rec.round() + " was " + fate + (f.reason().isEmpty() ? "" : " because " + f.reason())
          + (f.verdict() == Verdict.DOWNWEIGHTED ? String.format(java.util.Locale.ROOT, " (influence %.2f)", f.influence()) : "");
    }
    training.contribution(new TrainingStatus.ContributionStatus(rec.round(), fate, f == null ? "" : f.reason()));
    status(line);
  }

  // ------------------------------------------------------------------------- checkpoints

  /** θ and outer state as they are now, labelled with the round they are the start of. */
  private Checkpoint checkpointAt(long startOfRound) {
    return new Checkpoint(spec.modelSpec(), startOfRound, spec.innerSteps(), theta, spec.outer(), outer.momentum());
  }

  private void serveCheckpoint(long startOfRound) {
    checkpoints.serve(CheckpointCodec.encode(checkpointAt(startOfRound)));
  }

  private Path checkpointFile() {
    return o.dir() == null ? null : o.dir().resolve("checkpoint.safetensors");
  }

  private void writeOwnCheckpoint(long nextRound) {
    Path f = checkpointFile();
    if (f == null) return;
    try {
      Checkpoint c = checkpointAt(nextRound);
      Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      CheckpointFiles.write(tmp, c);
      Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      status("cannot write the checkpoint: " + e.getMessage());
    }
  }

  private Checkpoint readOwnCheckpoint() {
    Path f = checkpointFile();
    if (f == null || !Files.exists(f)) return null;
    try {
      Checkpoint c = CheckpointFiles.read(f);
      if (!c.model().equals(spec.modelSpec())) throw new IOException("it is for another model");
      return c;
    } catch (IOException | RuntimeException e) {
      status("ignoring the checkpoint in " + f + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * Asks up to {@link #CHECKPOINT_ASK} connected members for their latest checkpoint and adopts the
   * newest one that at least two of them (or the only one answering) agree on, if it is ahead of
   * ours; then runs {@code then}. Agreement stands in for checking a certified root.
   */
  private void catchUp(String why, Runnable then) {
    if (resyncing || closed) return;
    resyncing = true;
    List<PeerId> ask = new ArrayList<>();
    Set<PeerId> connected = new HashSet<>();
    for (Connection c : host.connections()) connected.add(c.remotePeer());
    connected.remove(coordinator);
    for (PeerId p : connected) if (ask.size() < CHECKPOINT_ASK) ask.add(p);
    List<CompletableFuture<Optional<byte[]>>> answers = new ArrayList<>();
    for (PeerId p : ask) answers.add(checkpoints.latest(p).exceptionally(e -> Optional.empty()));
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> rt.execute(() -> {
      resyncing = false;
      if (closed) return;
      Map<String, Integer> votes = new HashMap<>();
      Map<String, Checkpoint> byKey = new HashMap<>();
      int answered = 0;
      for (CompletableFuture<Optional<byte[]>> f : answers) {
        Optional<byte[]> got = f.join();
        if (got.isEmpty()) continue;
        try {
          Checkpoint c = CheckpointCodec.decode(got.get());
          if (!c.model().equals(spec.modelSpec()) || c.theta().length != theta.length) continue;
          answered++;
          String k = c.round() + ":" + Digest.ofFloats(c.theta()).hex() + ":" + Digest.ofFloats(c.outerMomentum()).hex();
          votes.merge(k, 1, Integer::sum);
          byKey.put(k, c);
        } catch (RuntimeException ex) {
          // a malformed checkpoint counts as no answer
        }
      }
      int need = Math.min(2, Math.max(1, answered));
      Checkpoint best = null;
      for (Map.Entry<String, Integer> en : votes.entrySet()) {
        Checkpoint c = byKey.get(en.getKey());
        if (en.getValue() >= need && (best == null || c.round() > best.round())) best = c;
      }
      boolean stuck = !why.equals("joining");
      if (best != null && best.round() > round) {
        long from = round;
        theta = best.theta();
        outer = new OuterStep(spec.outer(), best.outerMomentum(), best.round());
        resyncs++;
        status("caught up from round " + from + " to round " + best.round() + " (" + why + "; checkpoint agreed by " + votes.get(best.round() + ":" + Digest.ofFloats(best.theta()).hex() + ":" + Digest.ofFloats(best.outerMomentum()).hex()) + " of " + answered + " peers)");
        o.listener().resynced(this, from, best.round(), why);
        driver = new LeaderSealDriver(o.runId(), host.peerId(), spec.driverConfig());
        act(driver.membersChanged(live, rt.nowMillis()));
        serveCheckpoint(best.round());
        beginRound(best.round());
        return;
      }
      if (stuck) {
        rt.schedule(1_000, () -> catchUp(why, then));
        return;
      }
      then.run();
    }));
  }

  // ------------------------------------------------------------------------- accessors

  private void status(String line) {
    LOG.debug("{}: {}", label(), line);
    o.listener().status(this, line);
  }

  public String label() {
    return o.label() == null ? host == null ? "node" : host.peerId().toBase58() : o.label();
  }

  public PeerId peerId() {
    return PeerId.fromPublicKey(o.key().publicKey());
  }

  public BasicHost host() {
    return host;
  }

  public List<Multiaddr> addresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : host.listenAddresses()) out.add(a.withPeerId(host.peerId()));
    return out;
  }

  public TrainingStatus training() {
    return training;
  }

  public RunSpec spec() {
    return spec;
  }

  public String phase() {
    return phase;
  }

  public long round() {
    return round;
  }

  public int resyncs() {
    return resyncs;
  }

  /** Round-protocol bytes published and received (application level: each message once). */
  public long roundBytesOut() {
    return roundBytesOut.get();
  }

  public long roundBytesIn() {
    return roundBytesIn.get();
  }

  /** Checkpoint bytes served and fetched. */
  public long checkpointBytesOut() {
    return checkpoints == null ? 0 : checkpoints.bytesServed();
  }

  public long checkpointBytesIn() {
    return checkpoints == null ? 0 : checkpoints.bytesFetched();
  }

  /** CRDT anti-entropy frame bytes read and written. */
  public CompletableFuture<long[]> crdtSyncTotals() {
    return crdt.call(crdt::syncTotals);
  }

  /** The CRDT replica's contribution digests for {@code round} (what this node's state holds). */
  public CompletableFuture<Map<PeerId, Bytes>> crdtContributions(long r) {
    return crdt.call(() -> state.contributions(r));
  }

  /** Members in this node's CRDT replica (join records). */
  public CompletableFuture<Integer> memberCount() {
    return crdt.call(() -> state.members().size());
  }

  /** Peers subscribed to the run's round topic. */
  public CompletableFuture<Set<PeerId>> topicPeers() {
    return gossip.topicPeers(topic);
  }

  /** The live members as the round driver last saw them (ourselves included). */
  public Set<PeerId> live() {
    return live;
  }

  /** Completes when the run's last round is applied. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /**
   * Stops the node at once — host, gossip, DHT, CRDT and trainer — without writing anything more
   * (what is on disk is what a kill -9 would leave, except that RocksDB is closed so the same
   * directory can be reopened in this JVM).
   */
  @Override public void close() {
    if (closed) return;
    closed = true;
    finished.completeExceptionally(new IllegalStateException("node closed"));
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    rt.execute(() -> {
      for (Cancellable c : periodic) c.cancel();
      if (timer != null) timer.cancel();
      stopped.complete(null);
    });
    try {
      stopped.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    if (crdt != null) crdt.close();
    if (gossip != null) gossip.close();
    if (host != null) host.close();
    try {
      inFlight.handle((v, e) -> null).get(60, TimeUnit.SECONDS); // a trainer must not be freed mid-step
    } catch (Exception e) {
      LOG.warn("{}: training did not stop in time", label());
    }
    if (trainer != null) trainer.close();
    rt.close();
    if (replicaStore instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("{}: closing the replica store: {}", label(), e.toString());
      }
    }
  }

  // ------------------------------------------------------------------------- helpers

  private static long seedOf(PeerId p) {
    return java.util.Arrays.hashCode(p.bytes());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T await(CompletableFuture<T> f, String what) throws IOException {
    try {
      return f.get(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while trying to " + what);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("cannot " + what + ": no answer within " + START_TIMEOUT_MILLIS + " ms");
    }
  }
}
