package dev.weft.node.runtime;

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
import dev.weft.node.blocks.BlobId;
import dev.weft.node.blocks.BlobManifest;
import dev.weft.node.blocks.BlobStore;
import dev.weft.node.blocks.BlocksConfig;
import dev.weft.node.blocks.BlocksService;
import dev.weft.node.round.CutoffEstimator;
import dev.weft.node.round.Decision;
import dev.weft.node.round.Membership;
import dev.weft.node.round.RoundAction;
import dev.weft.node.round.RoundConfig;
import dev.weft.node.round.RoundEvent;
import dev.weft.node.round.RoundMachine;
import dev.weft.node.round.RoundSetup;
import dev.weft.node.round.apply.Applied;
import dev.weft.node.round.apply.ContributionFate;
import dev.weft.node.round.apply.ModelState;
import dev.weft.node.round.apply.RoundApplier;
import dev.weft.node.round.apply.SealedInput;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.Ed25519RoundKeys;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.RoundLimits;
import dev.weft.node.round.msg.RoundSigner;
import dev.weft.node.round.msg.Signed;
import dev.weft.p2p.crypto.Ed25519PrivKey;
import dev.weft.p2p.crypto.Ed25519PubKey;
import dev.weft.node.train.BatchSource;
import dev.weft.node.train.InnerResult;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.OptimizerState;
import dev.weft.node.train.Trainer;
import dev.weft.node.train.checkpoint.Checkpoint;
import dev.weft.node.train.data.Shard;
import dev.weft.node.train.data.ShardAssignment;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.WindowSampler;
import dev.weft.node.train.diloco.LocalDiloco;
import dev.weft.p2p.api.Connection;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One volunteer, composed: a libp2p host (TCP, Noise, Yamux), gossipsub, the Kademlia DHT, the run's
 * CRDT state, a trainer and the BFT {@link RoundMachine}, all driven from one serial executor ("the
 * runtime thread"); training runs on an injected bounded pool, never on the host's threads.
 *
 * <p>Life cycle: {@link #start} listens, joins the DHT through the bootstrap peers, finds the run
 * spec (DHT record {@code /weft/run/<coordinator>/<name>}) unless given, advertises itself as a
 * provider of the run and connects to the others it finds, opens the CRDT replica (in
 * {@code dir}), records its membership, loads its checkpoint from {@code dir} or starts from the
 * run's initial parameters, asks peers for a newer checkpoint, and starts the round loop.
 * Each round, as the machine asks: train H inner steps, encode Δ, store it as a blob and announce
 * it ({@code TrainingFinished}); fetch the others' blobs over {@code /weft/blocks/1.0.0}; the
 * machine reports availability, votes and certifies one set; compute the sealed set's aggregate
 * and outer step ({@link RoundApplier}, the function every honest peer computes bit-identically)
 * and report its state root; apply it once certified, or repair from the voters that certified it
 * when our root differs. The machine's messages travel point to point over {@link RoundLink}. Every
 * {@link RunSpec#checkpointEvery} rounds the certified state is written to {@code dir}
 * ({@link CertifiedCheckpoint}: θ, momentum, counters, the next round's seed, the bans).
 *
 * <p>Restart and catch-up: a node restarted from its directory starts the machine at its own
 * certified state and replays the rounds it missed from peers' certificates and blobs (the
 * machine's sync); a node without state, or further behind than peers retain, adopts a checkpoint
 * whose certificate proves it (one peer suffices; colluders cannot forge one). Membership is fixed by the run spec ({@link RunSpec#members}): admission
 * by a certified membership change is not built yet.
 */
public final class NodeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);
  /** How often membership (CRDT members ∩ connected) is recomputed and providers looked up. */
  static final long MEMBERSHIP_PERIOD_MILLIS = 500;
  static final long DISCOVERY_PERIOD_MILLIS = 3_000;
  /** How often the run's served blobs are provided again (provider records expire after a day or two). */
  static final long REPROVIDE_PERIOD_MILLIS = 10 * 60_000;
  static final long START_TIMEOUT_MILLIS = 30_000;
  /** A connected live member missing from the round topic this long gets a fresh connection. */
  static final long GOSSIP_REPAIR_MILLIS = 5_000;
  /** Peers asked for a checkpoint at once. */
  static final int CHECKPOINT_ASK = 4;
  /** Certificates and contribution blobs kept for peers that replay rounds. */
  static final int RETENTION_ROUNDS = 16;
  /** A rejoining node this many rounds behind (or fewer) replays certified rounds instead of adopting a checkpoint. */
  static final int REPLAY_ROUNDS = RETENTION_ROUNDS / 2;
  /** Bounds on the adaptive cut-off, around the spec's initial one. */
  static final long MIN_CUTOFF_MILLIS = 1_000, MAX_CUTOFF_MILLIS = 600_000;
  /** Passes over the certifying voters before a failed repair falls back to a checkpoint. */
  static final int REPAIR_ATTEMPTS = 10;

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
      RoundLink.Limits wireLimits, int maxCheckpointBytes, long checkpointTimeoutMillis, String label, CompletableFuture<Void> startGate,
      java.util.function.LongFunction<CompletableFuture<Void>> roundGate, float[] initialTheta, boolean ownData,
      dev.weft.p2p.resource.ResourceLimits hostLimits, dev.weft.p2p.nat.traversal.NatConfig nat,
      dev.weft.p2p.api.ConnectionGater gater) {
    public Options {
      if (runId == null || runId.indexOf('/') < 1) throw new IllegalArgumentException("run id must be <coordinator peer id>/<name>: " + runId);
      listen = listen == null || listen.isEmpty() ? List.of("/ip4/127.0.0.1/tcp/0") : List.copyOf(listen);
      bootstrap = bootstrap == null ? List.of() : List.copyOf(bootstrap);
      if (transform == null) transform = ContributionTransform.HONEST;
      if (listener == null) listener = new Listener() {};
      if (wireLimits == null) wireLimits = RoundLink.Limits.defaults(RoundLimits.defaults().maxMessageBytes());
      if (maxCheckpointBytes < 64) throw new IllegalArgumentException("maxCheckpointBytes must be at least 64");
      if (checkpointTimeoutMillis < 1) throw new IllegalArgumentException("checkpointTimeoutMillis must be positive");
      if (startGate == null) startGate = CompletableFuture.completedFuture(null);
      if (roundGate == null) roundGate = r -> CompletableFuture.completedFuture(null);
      if (hostLimits == null) hostLimits = dev.weft.p2p.resource.ResourceLimits.DEFAULT;
      if (nat == null) nat = dev.weft.p2p.nat.traversal.NatConfig.OFF;
      if (gater == null) gater = dev.weft.p2p.api.ConnectionGater.ALLOW_ALL;
    }

    /** Defaults for the limits: 1 MiB round messages, 256 MiB checkpoints fetched within 60 s. */
    public static Options of(PrivKey key, String runId, RunSpec spec, Path dir, List<Multiaddr> bootstrap, Executor trainPool,
        ShardedDataset data, TrainerFactory trainers, String label) {
      return new Options(key, runId, spec, dir, null, bootstrap, trainPool, data, trainers, null, null, null, 256 << 20, 60_000, label, null, null, null, false, null, null, null);
    }

    public Options withTransform(ContributionTransform t) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, t, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate, roundGate, initialTheta, ownData, hostLimits, nat, gater);
    }

    public Options withListener(Listener l) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, l, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate, roundGate, initialTheta, ownData, hostLimits, nat, gater);
    }

    public Options withStartGate(CompletableFuture<Void> gate) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, gate, roundGate, initialTheta, ownData, hostLimits, nat, gater);
    }

    /**
     * Training of round r starts only once {@code gate.apply(r)} completes: how an orchestrator
     * (the testnet) makes "kill node 1 at round 2" happen at round 2 however fast rounds are.
     */
    public Options withRoundGate(java.util.function.LongFunction<CompletableFuture<Void>> gate) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate, gate, initialTheta, ownData, hostLimits, nat, gater);
    }

    public Options withListen(List<String> addrs) {
      return new Options(key, runId, spec, dir, addrs, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate, roundGate, initialTheta, ownData, hostLimits, nat, gater);
    }

    /**
     * Starts from these parameters instead of the spec's seeded ones (a manifest's checkpoint blob);
     * their hash must still be the spec's {@link RunSpec#initialHash}.
     */
    public Options withInitialTheta(float[] theta) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate, roundGate, theta.clone(), ownData, hostLimits, nat, gater);
    }

    /**
     * {@code data} is this node's own share (the shards a volunteer downloaded for itself), trained
     * on whole; otherwise it is the whole corpus and the node trains on its rendezvous share.
     */
    public Options withOwnData(boolean own) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate, roundGate, initialTheta, own, hostLimits, nat, gater);
    }

    /**
     * What peers may make this node's host hold; {@link dev.weft.p2p.resource.ResourceLimits#DEFAULT}
     * unless the volunteer widened it (as {@code --allow-cidr} for a LAN testnet does).
     */
    public Options withHostLimits(dev.weft.p2p.resource.ResourceLimits limits) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate, roundGate, initialTheta, ownData, limits, nat, gater);
    }

    /**
     * NAT traversal ({@link dev.weft.p2p.nat.traversal.NatTraversal}): {@link dev.weft.p2p.nat.traversal.NatConfig#OFF}
     * unless asked, so that tests and the in-JVM testnet never talk to a real gateway; {@code weft
     * node} and {@code weft run} pass {@link dev.weft.p2p.nat.traversal.NatConfig#DEFAULT} less what the
     * volunteer turned off.
     */
    public Options withNat(dev.weft.p2p.nat.traversal.NatConfig config) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate, roundGate, initialTheta, ownData, hostLimits, config, gater);
    }

    /**
     * Which peers this node's host may connect to ({@link dev.weft.p2p.api.ConnectionGater}; default
     * allow all): how the testnet cuts its network in two. Whoever changes the gater's rules calls
     * {@code host().regate()} to close the connections they now refuse.
     */
    public Options withGater(dev.weft.p2p.api.ConnectionGater g) {
      return new Options(key, runId, spec, dir, listen, bootstrap, trainPool, data, trainers, transform, listener, wireLimits, maxCheckpointBytes, checkpointTimeoutMillis, label, startGate, roundGate, initialTheta, ownData, hostLimits, nat, g);
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
  private final TreeMap<Long, TreeMap<PeerKey, Digest>> seenBlobs = new TreeMap<>();
  private final Map<PeerKey, PeerId> peers = new HashMap<>();
  private final Map<PeerId, PeerKey> keys = new HashMap<>();
  /** Base58 peer id by key hex: what aggregation reports name a contributor by. */
  private final Map<String, String> namesByHex = new HashMap<>();
  private final Map<String, Applied> candidates = new HashMap<>();
  private final Set<Cancellable> timers = new HashSet<>();
  /** Blobs of the run itself (checkpoint, data shards) this node serves and provides; never pruned. */
  private final Set<BlobId> served = ConcurrentHashMap.newKeySet();
  private final List<Runnable> afterRepair = new ArrayList<>();
  private HostBuilder.Built built;
  private dev.weft.p2p.nat.traversal.NatTraversal nat;
  private BasicHost host;
  private GossipsubService gossip;
  private KadDht dht;
  private CrdtStateService crdt;
  private RunState runState;
  private ReplicaStore replicaStore = ReplicaStore.NONE;
  private CheckpointExchange checkpoints;
  private RunSpec spec;
  private PeerId coordinator;
  private String topic;
  private Trainer trainer;
  private Aggregator rule;
  private Codec codec;
  private RoundSigner signer;
  private RoundCodec roundCodec;
  private RoundLink link;
  private RoundApplier applier;
  private RoundMachine machine;
  private BlobStore blobStore;
  private BlocksService blocks;
  private Path blobDir;
  private ModelState model;
  private Digest seed;
  /** The encoded certificate of the round that produced {@link #model}; null at round 0. */
  private byte[] certificate;
  private List<PeerKey> banned = List.of();
  private float[] theta;
  private float[] previousAggregate;
  private volatile long round;
  private long roundStartedAt, contributedAt;
  private boolean contributed;
  private double lastTrainLoss = Double.NaN;
  private long lastComputeMillis, applyMillis;
  private boolean repairing;
  private int repairs;
  private long misbehaved;
  private final List<Cancellable> periodic = new ArrayList<>();
  private volatile Set<PeerId> live = Set.of();
  private final Map<PeerId, Long> missingSince = new HashMap<>();
  private List<Shard> shards;
  private BatchSource stream;
  private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
  private volatile CompletableFuture<Void> trainGate = CompletableFuture.completedFuture(null);
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
    HostBuilder b = BasicHost.builder().privateKey(o.key()).transport(TcpTransport::new).resourceLimits(o.hostLimits()).gater(o.gater());
    for (String a : o.listen()) b.listen(Multiaddr.parse(a));
    dev.weft.p2p.nat.traversal.NatTraversal.Prepared natPrepared = dev.weft.p2p.nat.traversal.NatTraversal.prepare(b, o.nat());
    built = b.buildWithServices();
    host = built.host();
    await(host.start(), "listen");
    nat = natPrepared.start(built, new Random(seedOf(self) ^ 0x6e6174L), natBlocking());
    host.own(nat);
    if (o.nat() != dev.weft.p2p.nat.traversal.NatConfig.OFF) LOG.info("{}: NAT traversal {}", label(), o.nat().describe());
    PeerScoreParams params = PeerScoreParams.defaults(Map.of()).withDefaultTopic(TopicScoreParams.defaults())
        .withIpColocationWhitelist(Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1"));
    gossip = new GossipsubService(host, host.scheduler(), new Random(seedOf(self)), GossipsubConfig.defaults(), params,
        PeerScoreThresholds.defaults(), this::onGossip);
    gossip.start();
    DhtStore store = o.dir() == null ? new MemoryDhtStore() : RocksDhtStore.open(o.dir().resolve("dht"));
    dht = KadDht.install(host, DhtConfig.defaults(), store, ValidatorRegistry.standard(dev.weft.p2p.crypto.Keys::unmarshalPublicKey), built.ping(), true);
    // The host closes what it owns last-first: the DHT (and its scheduled upkeep) before its store.
    host.own(store);
    host.own(dht);
    if (o.nat().autonat()) {
      // Others cannot dial a private node: it should ask the DHT, not be asked (kad-dht client mode).
      nat.onReachability(r -> {
        if (r == dev.weft.p2p.protocol.autonat.Reachability.Status.PRIVATE) dht.setMode(dev.weft.dht.DhtMode.CLIENT);
        else if (r == dev.weft.p2p.protocol.autonat.Reachability.Status.PUBLIC) dht.setMode(dev.weft.dht.DhtMode.SERVER);
      });
    }
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
    runState = new RunState(replica);
    String addrs = String.join(" ", host.listenAddresses().stream().map(a -> a.withPeerId(self).toString()).toList());
    crdt.call(() -> crdt.publish(runState.join(Bytes.utf8(addrs))));
    await(gossip.subscribe(topic), "subscribe");
    discover();
    // Parameters: our own certified checkpoint if we have one, else the run's initial θ; a newer one from peers below.
    if (spec.members().isEmpty()) throw new IOException("run " + o.runId() + " lists no members: the round protocol needs a fixed voter set");
    if (!(o.key() instanceof Ed25519PrivKey ed)) throw new IOException("the node key must be Ed25519: round messages are signed with it");
    signer = Ed25519RoundKeys.signer(ed);
    for (RunSpec.Member m : spec.members()) {
      PeerId p = PeerId.parse(m.peer());
      PeerKey k = keyOf(p);
      peers.put(k, p);
      keys.put(p, k);
      namesByHex.put(k.hex(), p.toBase58());
    }
    if (!keys.containsKey(self)) status("not a member of run " + o.runId() + ": following it without contributing or voting");
    roundCodec = new RoundCodec(o.runId(), RoundLimits.defaults(), Ed25519RoundKeys.verifier());
    applier = new RoundApplier(rule, spec.outer(), minInputs());
    CertifiedCheckpoint mine = readOwnCheckpoint();
    ModelSpec modelSpec = spec.modelSpec();
    if (mine != null) {
      model = mine.state();
      seed = mine.seed();
      banned = mine.banned();
      certificate = mine.certificate();
    } else {
      float[] initial = o.initialTheta() != null ? o.initialTheta().clone() : modelSpec.initialParameters(spec.seed());
      if (!ParameterHash.hex(initial).equals(spec.initialHash())) throw new IOException("initial parameters do not match the run's initial hash");
      model = ModelState.initial(initial);
      seed = genesisSeed(o.runId(), spec.initialHash());
    }
    theta = model.theta();
    round = model.rounds();
    trainer = o.trainers().create(modelSpec, spec.inner(), theta);
    if (round > 0) trainer.loadOptimizerState(new OptimizerState(round * spec.innerSteps(), new float[theta.length], new float[theta.length]));
    // Contribution blobs: in dir/blobs, or a temporary folder deleted on close.
    blobDir = o.dir() != null ? o.dir().resolve("blobs") : Files.createTempDirectory("weft-blobs");
    BlocksConfig bc = contributionBlocks(theta.length);
    blobStore = BlobStore.open(blobDir, bc);
    blocks = BlocksService.install(host, bc, blobStore);
    link = new RoundLink(host, host.scheduler(), o.wireLimits(), this::onFrame);
    link.install();
    serveCheckpoint();
    LOG.info("{}: ready after {} ms", label(), (System.nanoTime() - bootStart) / 1_000_000);
    periodic.add(rt.scheduleAtFixedRate(MEMBERSHIP_PERIOD_MILLIS, MEMBERSHIP_PERIOD_MILLIS, this::refreshMembers));
    periodic.add(rt.scheduleAtFixedRate(DISCOVERY_PERIOD_MILLIS, DISCOVERY_PERIOD_MILLIS, this::discover));
    periodic.add(rt.scheduleAtFixedRate(REPROVIDE_PERIOD_MILLIS, REPROVIDE_PERIOD_MILLIS, () -> {
      for (BlobId blob : served) dht.node().provide(blob.multihash()).exceptionally(e -> null);
    }));
    o.startGate().whenComplete((v, e) -> rt.execute(() -> catchUp("joining", this::startMachine)));
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
        Set<PeerId> members = runState.members().keySet();
        for (PeerId p : peers) if (!members.contains(p)) crdt.syncWith(p);
        return null;
      });
      rt.execute(() -> repairGossip(peers));
    });
    crdt.call(() -> runState.members().keySet()).thenAccept(members -> rt.execute(() -> {
      Set<PeerId> connected = new HashSet<>();
      for (Connection c : host.connections()) connected.add(c.remotePeer());
      Set<PeerId> now = new TreeSet<>();
      now.add(host.peerId());
      for (PeerId m : members) if (connected.contains(m)) now.add(m);
      if (!now.equals(live) && !closed) {
        live = now;
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
      status("reconnecting to " + short58(p) + ": connected but not on the round topic");
      List<CompletableFuture<Void>> closing = new ArrayList<>();
      for (Connection c : host.connections(p)) closing.add(c.close());
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).handle((v, e) -> host.connect(p)).exceptionally(e -> null);
    }
  }

  // ------------------------------------------------------------------------- round protocol (runtime thread)

  /** The round-protocol settings every member derives from the run spec. */
  private RoundConfig roundConfig() {
    long cut = spec.cutoffMillis();
    // The floor is a twelfth of the initial cut-off: measured arrivals of a quiet network can be
    // milliseconds apart, and a cut-off at their median + 3 MAD then leaves no room for one slow
    // round (a peer's training delayed by another's, a stalled link); an early cut-off still ends
    // the round as soon as every contributor is in.
    CutoffEstimator.CutoffConfig c = new CutoffEstimator.CutoffConfig(cut, Math.min(cut, Math.max(MIN_CUTOFF_MILLIS, cut / 12)), Math.max(cut, MAX_CUTOFF_MILLIS), 3, 8, 8, 0.15);
    return new RoundConfig(o.runId(), RoundLimits.defaults(), minInputs(), spec.viewTimeoutMillis(), spec.viewTimeoutMillis() * 16, c,
        RETENTION_ROUNDS, 4096, tokensPerRound(), true);
  }

  private int minInputs() {
    return Math.max(Math.max(1, spec.minContributions()), rule.minInputs());
  }

  private long tokensPerRound() {
    return (long) spec.innerSteps() * spec.rows() * spec.modelSpec().context();
  }

  /** The run's fixed members as the round protocol names them, with {@code banned} banned. */
  private Membership membership(List<PeerKey> banned) {
    List<Membership.Member> list = new ArrayList<>();
    Set<PeerKey> ban = new HashSet<>(banned);
    for (RunSpec.Member m : spec.members()) {
      PeerKey k = keyOf(PeerId.parse(m.peer()));
      list.add(new Membership.Member(k, m.fromRound(), ban.contains(k)));
    }
    return new Membership(list, 0);
  }

  /** The round protocol names a peer by its raw Ed25519 key, which its peer id inlines. */
  static PeerKey keyOf(PeerId p) {
    var pub = p.publicKey().orElseThrow(() -> new IllegalArgumentException(p + " does not inline its public key"));
    if (!(pub instanceof Ed25519PubKey e)) throw new IllegalArgumentException(p + " is not an Ed25519 peer; round messages are signed with Ed25519");
    return new PeerKey(e.raw());
  }

  private void startMachine() {
    if (closed || machine != null) return;
    machine = new RoundMachine(roundConfig(), signer, roundCodec, membership(banned), model.rounds(), model.root(), seed);
    round = model.rounds();
    List<RoundAction> first = machine.start(rt.nowMillis());
    status("round protocol started at round " + round + " (" + machine.setup().voters().n() + " voters, f = " + machine.setup().voters().f() + ")");
    act(first);
  }

  private void feed(RoundEvent e) {
    if (closed || machine == null) return;
    // After the run's last round the machine keeps answering peers (a straggler's sync request)
    // but starts nothing: no cut-off, no view change, so no null rounds past the end.
    if (finished.isDone() && e instanceof RoundEvent.TimerFired) return;
    act(machine.on(e, rt.nowMillis()));
  }

  private void onFrame(PeerId from, byte[] frame) {
    rt.execute(() -> {
      PeerKey k = keys.get(from);
      if (k == null) return; // not a member: nothing it says counts
      roundBytesIn.addAndGet(frame.length);
      feed(new RoundEvent.Received(k, frame));
    });
  }

  private void act(List<RoundAction> actions) {
    for (RoundAction a : actions) {
      if (closed) return;
      switch (a) {
        case RoundAction.Send s -> send(s);
        case RoundAction.Fetch f -> fetch(f);
        case RoundAction.StartTimer t -> {
          Cancellable[] c = new Cancellable[1];
          c[0] = rt.schedule(t.delayMillis(), () -> {
            timers.remove(c[0]);
            feed(new RoundEvent.TimerFired(t.id()));
          });
          timers.add(c[0]);
        }
        case RoundAction.Train t -> whenRepaired(() -> train(t));
        case RoundAction.Compute c -> whenRepaired(() -> compute(c));
        case RoundAction.Persist p -> persist(p);
        case RoundAction.Apply ap -> applyCertified(ap);
        case RoundAction.Repair r -> repair(r);
        case RoundAction.Misbehaved m -> {
          misbehaved++;
          LOG.debug("{}: {} misbehaved: {}", label(), peerName(m.peer()), m.reason());
        }
        case RoundAction.Alarm al -> {
          phase = "halted";
          training.round(round, phase);
          status("HALTED in round " + al.round() + ": " + al.reason() + " (more than a third of the voters are faulty, or determinism broke; the run never forks)");
        }
      }
    }
  }

  private void send(RoundAction.Send s) {
    byte[] frame = roundCodec.encode(s.message());
    for (PeerKey k : s.to()) {
      PeerId p = peers.get(k);
      if (p == null || p.equals(host.peerId())) continue;
      roundBytesOut.addAndGet(frame.length);
      link.send(p, frame);
    }
  }

  private void fetch(RoundAction.Fetch f) {
    Digest cid = f.cid();
    if (!f.sources().isEmpty()) seenBlobs.computeIfAbsent(f.round(), r -> new TreeMap<>()).putIfAbsent(f.sources().get(0), cid);
    BlobId id = BlobId.fromDigest(cid.bytes());
    if (blobStore.isComplete(id)) {
      rt.execute(() -> feed(new RoundEvent.BlobHeld(cid, invalidReason(blobStore.read(id)))));
      return;
    }
    List<PeerId> providers = new ArrayList<>();
    for (PeerKey k : f.sources()) {
      PeerId p = peers.get(k);
      if (p != null && !p.equals(host.peerId())) providers.add(p);
    }
    blocks.fetch(id, providers).result().whenComplete((r, e) -> rt.execute(() -> {
      if (e != null || !blobStore.isComplete(id)) feed(new RoundEvent.FetchFailed(cid));
      else feed(new RoundEvent.BlobHeld(cid, invalidReason(blobStore.read(id))));
    }));
  }

  /** Why a contribution blob is unusable (null if it decodes to a vector of θ's length). */
  private String invalidReason(byte[] blob) {
    try {
      Codecs.decode(blob, theta.length);
      return null;
    } catch (MalformedUpdateException | RuntimeException e) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }
  }

  private void whenRepaired(Runnable r) {
    if (repairing) afterRepair.add(r);
    else r.run();
  }

  private void train(RoundAction.Train t) {
    if (closed || (spec.rounds() > 0 && t.round() >= spec.rounds())) return;
    if (!t.baseRoot().equals(model.root())) return; // a round we no longer hold the base of
    long r = t.round();
    round = r;
    roundStartedAt = rt.nowMillis();
    contributed = false;
    lastComputeMillis = 0;
    pendingOwn = null;
    phase = "training";
    training.round(r, phase);
    seenBlobs.headMap(r - RETENTION_ROUNDS).clear();
    float[] base = model.theta().clone();
    Digest baseRoot = t.baseRoot();
    BatchSource data = streamFor(r);
    CompletableFuture<Void> gate = o.roundGate().apply(r);
    // After the previous training (abandoned by a catch-up) has let go of the trainer.
    trainGate = gate;
    CompletableFuture<InnerResult> f = inFlight.handle((v, e) -> null).thenCompose(v -> gate).thenApplyAsync(v -> {
      if (closed) throw new java.util.concurrent.CancellationException("node closed");
      trainer.loadParameters(base);
      return trainer.train(data, spec.innerSteps());
    }, o.trainPool());
    inFlight = f;
    f.whenComplete((res, err) -> rt.execute(() -> {
      if (closed || r != round || !baseRoot.equals(model.root())) return;
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
      pendingDeadline = rt.nowMillis() + machine.cutoffMillis() / 2;
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
    List<Shard> mine = o.ownData() ? o.data().train() : ShardAssignment.shardsFor(host.peerId().toBase58(), workers, o.data().train());
    if (!mine.equals(shards) || stream == null) {
      shards = mine;
      stream = new WindowSampler(mine, spec.rows(), spec.modelSpec().context(), LocalDiloco.streamSeed(spec.seed(), host.peerId().toBase58(), (int) r));
    }
    return stream;
  }

  /** The blobs of {@code r} held from contributors other than us and {@code except}, decoded. */
  private List<float[]> heldOthers(long r, Set<PeerKey> except) {
    List<float[]> out = new ArrayList<>();
    for (Map.Entry<PeerKey, Digest> e : seenBlobs.getOrDefault(r, new TreeMap<>()).entrySet()) {
      if (e.getKey().equals(signer.key()) || except.contains(e.getKey())) continue;
      BlobId id = BlobId.fromDigest(e.getValue().bytes());
      if (!blobStore.isComplete(id)) continue;
      try {
        out.add(Codecs.decode(blobStore.read(id), theta.length));
      } catch (MalformedUpdateException | RuntimeException ex) {
        // not usable as a model of the honest updates
      }
    }
    return out;
  }

  private void tryContribute() {
    if (pendingOwn == null || pendingRound != round || closed) return;
    ContributionTransform t = o.transform();
    List<float[]> others = List.of();
    if (t.waitsForOthers()) {
      Set<PeerKey> colluders = new HashSet<>();
      for (PeerId p : t.colluders()) colluders.add(keyOf(p));
      int honestLive = 0;
      for (PeerId p : live) if (!p.equals(host.peerId()) && !t.colluders().contains(p)) honestLive++;
      others = heldOthers(round, colluders);
      if (others.size() < honestLive && rt.nowMillis() < pendingDeadline) {
        rt.schedule(100, this::tryContribute);
        return;
      }
    }
    byte[] payload = t.craft(pendingOwn, others, previousAggregate, round, codec);
    pendingOwn = null;
    BlobManifest m = blobStore.put(payload);
    Digest cid = new Digest(m.id().digest());
    seenBlobs.computeIfAbsent(round, k -> new TreeMap<>()).put(signer.key(), cid);
    double norm = 0;
    try {
      for (float v : Codecs.decode(payload, theta.length)) norm += (double) v * v;
      norm = Math.sqrt(norm);
    } catch (MalformedUpdateException | RuntimeException e) {
      norm = 0; // an attacker's garbage: its norm is what it claims
    }
    if (!Double.isFinite(norm)) norm = Double.MAX_VALUE;
    contributed = true;
    contributedAt = rt.nowMillis();
    phase = "waiting for the round to be certified";
    training.round(round, phase);
    long r = round;
    Bytes digest = Bytes.of(cid.bytes());
    crdt.call(() -> crdt.publish(runState.contribute(r, digest)));
    crdt.call(() -> crdt.publish(runState.addProgress(spec.innerSteps())));
    feed(new RoundEvent.TrainingFinished(r, model.root(), cid, payload.length, norm, tokensPerRound()));
    if (t.equivocates()) equivocate(r, payload);
  }

  /** The equivocating attacker's second contribution: another blob, signed for the same round, sent to every other voter. */
  private void equivocate(long r, byte[] payload) {
    byte[] other = payload.clone();
    other[other.length - 1] ^= 1;
    BlobManifest m = blobStore.put(other);
    var body = dev.weft.node.round.msg.pb.ContributionBody.newBuilder().setRun(o.runId()).setRound(r).setBaseRoot(model.root().toByteString())
        .setCid(com.google.protobuf.ByteString.copyFrom(m.id().digest())).setSize(other.length).setNorm(0).setTokens(tokensPerRound()).build();
    byte[] frame = roundCodec.encode(roundCodec.sign(dev.weft.node.round.msg.pb.Kind.CONTRIBUTION, body, signer));
    List<PeerKey> voters = machine.setup().voters().list();
    for (int i = 0; i < voters.size(); i += 2) {
      PeerId p = peers.get(voters.get(i));
      if (p != null && !p.equals(host.peerId())) link.send(p, frame);
    }
  }

  private void compute(RoundAction.Compute c) {
    long t0 = rt.nowMillis();
    List<SealedInput> inputs = new ArrayList<>();
    for (Signed s : c.contributions()) {
      BlobId id = BlobId.fromDigest(Digest.from(s.contribution().getCid()).bytes());
      try {
        if (!blobStore.isComplete(id)) throw new MalformedUpdateException("blob not held");
        inputs.add(SealedInput.ok(s.signer(), Codecs.decode(blobStore.read(id), theta.length), s.contribution().getTokens()));
      } catch (MalformedUpdateException | RuntimeException e) {
        inputs.add(SealedInput.malformed(s.signer(), e.getMessage()));
      }
    }
    phase = "aggregating";
    Applied a = applier.apply(model, inputs);
    candidates.put(c.round() + "/" + c.valueHash().hex(), a);
    applyMillis = rt.nowMillis() - t0;
    Digest root = a.state().root();
    // Told after this action list is done, as any other event: the machine is not re-entered.
    rt.execute(() -> feed(new RoundEvent.RootComputed(c.round(), c.valueHash(), root)));
  }

  private void persist(RoundAction.Persist p) {
    if (o.dir() == null) return;
    try {
      Path certs = o.dir().resolve("certificates");
      Files.createDirectories(certs);
      Path f = certs.resolve(p.round() + ".cert");
      Path tmp = certs.resolve(p.round() + ".cert.tmp");
      Files.write(tmp, roundCodec.encode(p.certificate()));
      Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(certs.resolve((p.round() - RETENTION_ROUNDS) + ".cert"));
    } catch (IOException e) {
      status("cannot store the certificate of round " + p.round() + ": " + e.getMessage());
    }
  }

  private void applyCertified(RoundAction.Apply ap) {
    if (spec.rounds() > 0 && ap.round() >= spec.rounds()) return;
    Applied a = candidates.remove(ap.round() + "/" + ap.valueHash().hex());
    if (a == null || !a.state().root().equals(ap.root())) throw new IllegalStateException("the machine applied a state we did not compute");
    Decision d = machine.decision(ap.round());
    RoundSetup setup = machine.decisionSetup(ap.round());
    long t1 = rt.nowMillis();
    List<RoundRecord.Fate> fates = new ArrayList<>();
    Set<String> malformed = new HashSet<>(a.malformed());
    if (a.aggregation() != null) {
      for (InputReport r : a.aggregation().reports()) fates.add(new RoundRecord.Fate(peerName(r.key()), r.verdict(), r.influence(), r.reason()));
    }
    for (Signed s : d.value().applied()) {
      if (malformed.contains(s.signer().hex())) fates.add(new RoundRecord.Fate(peerName(s.signer().hex()), Verdict.REJECTED, 0, "sealed, but its blob does not decode"));
      else if (a.aggregation() == null) fates.add(new RoundRecord.Fate(peerName(s.signer().hex()), Verdict.REJECTED, 0, a.nullReason()));
    }
    fates.sort(java.util.Comparator.comparing(RoundRecord.Fate::peer));
    if (a.aggregation() != null && a.aggregation().succeeded()) previousAggregate = a.aggregation().aggregate();
    String failure = a.isNull() ? (d.value().applied().isEmpty() ? "null round: " + (d.value().contributions().size()) + " contributions sealed, " + minInputs() + " needed" : a.nullReason()) : null;
    ContributionFate.Fate own = ContributionFate.of(signer.key(), d, setup, machine.membership(), a);
    String sealedBy = peerName(setup.leader(d.view()).hex()) + (d.view() > 0 ? " (view " + d.view() + ")" : "");
    List<RoundRecord.Ban> bans = new ArrayList<>();
    for (Signed ev : d.value().evidence()) {
      PeerKey who = dev.weft.node.round.EvidenceRules.offender(ev, this::openNested);
      if (who != null && d.value().offenders().contains(who)) bans.add(new RoundRecord.Ban(peerName(who), evidenceKind(ev)));
    }
    // The machine bans these too (RoundConfig.banMalformedBlobs): the same pure decode, on the certified blobs.
    for (String hex : a.malformed()) {
      String who = peerName(hex);
      if (bans.stream().noneMatch(b -> b.peer().equals(who))) bans.add(new RoundRecord.Ban(who, "its sealed blob of round " + ap.round() + " does not decode"));
    }
    certificate = roundCodec.encode(d.certificate());
    adopt(a.state(), d.seed());
    recordApplied(ap.round(), sealedBy, fates, failure, own, t1, bans);
    for (RoundRecord.Ban b : bans) status("banned " + b.peer() + " in round " + ap.round() + " on certified evidence (" + b.evidence() + ")");
    pruneBlobs(ap.round());
  }

  /** Makes {@code next} (certified) our state, with {@code nextSeed} the seed of the round it starts. */
  private void adopt(ModelState next, Digest nextSeed) {
    model = next;
    theta = next.theta();
    seed = nextSeed;
    round = next.rounds();
    candidates.keySet().removeIf(k -> Long.parseLong(k.substring(0, k.indexOf('/'))) < next.rounds());
    serveCheckpoint();
    if (next.rounds() % spec.checkpointEvery() == 0) writeOwnCheckpoint();
  }

  private void recordApplied(long applied, String sealedBy, List<RoundRecord.Fate> fates, String failure, ContributionFate.Fate own, long t1,
      List<RoundRecord.Ban> bans) {
    RoundRecord rec = new RoundRecord(label(), applied, ParameterHash.hex(theta), "", model.root().hex(), sealedBy, fates, failure, lastTrainLoss,
        contributed ? contributedAt - roundStartedAt : t1 - roundStartedAt, contributed ? Math.max(0, t1 - applyMillis - contributedAt) : 0, applyMillis, contributed,
        lastComputeMillis, roundStartedAt, contributed ? contributedAt : 0, t1, bans);
    reportOwnFate(rec, own);
    float[] snapshot = theta.clone();
    crdt.call(() -> java.util.HexFormat.of().formatHex(runState.replica().stateRoot())).whenComplete((root, e) -> rt.execute(() -> {
      RoundRecord full = new RoundRecord(rec.node(), rec.round(), rec.thetaHash(), root == null ? "" : root, rec.stateRoot(), rec.sealedBy(), rec.fates(),
          rec.aggregateFailure(), rec.trainLoss(), rec.trainMillis(), rec.waitMillis(), rec.applyMillis(), rec.contributed(),
          rec.computeMillis(), rec.startedAt(), rec.contributedAt(), rec.appliedAt(), rec.banned());
      o.listener().applied(this, full, snapshot);
    }));
    contributed = false;
    applyMillis = 0;
    if (spec.rounds() > 0 && applied + 1 >= spec.rounds() && !finished.isDone()) {
      phase = "finished";
      training.round(applied + 1, phase);
      status("run finished after round " + applied);
      finished.complete(null);
    } else {
      phase = "training";
    }
  }

  private void pruneBlobs(long applied) {
    for (var it = seenBlobs.headMap(applied - RETENTION_ROUNDS).entrySet().iterator(); it.hasNext(); ) {
      for (Digest cid : it.next().getValue().values()) {
        BlobId id = BlobId.fromDigest(cid.bytes());
        // A contributor could name a run blob's digest as its contribution; the run's blobs stay.
        if (!served.contains(id)) blobStore.delete(id);
      }
      it.remove();
    }
  }

  private void reportOwnFate(RoundRecord rec, ContributionFate.Fate own) {
    if (!rec.contributed()) return;
    RoundRecord.Fate f = rec.fateOf(host.peerId().toBase58());
    String why = own == null ? "the round was repaired from peers" : own.why();
    String fate;
    String line;
    if (f == null) {
      fate = "left out";
      line = "your contribution for round " + rec.round() + " was not sealed: " + why;
    } else {
      fate = switch (f.verdict()) {
        case ACCEPTED -> "included";
        case DOWNWEIGHTED -> "down-weighted";
        case REJECTED -> "rejected";
      };
      line = "your contribution for round " + rec.round() + " was " + fate + (f.reason().isEmpty() ? "" : " because " + f.reason())
          + (f.verdict() == Verdict.DOWNWEIGHTED ? String.format(java.util.Locale.ROOT, " (influence %.2f)", f.influence()) : "");
    }
    training.contribution(new TrainingStatus.ContributionStatus(rec.round(), fate, f == null ? why : f.reason()));
    status(line);
  }

  /**
   * Our computed root differs from the certified one (a nondeterministic trainer, a corrupted
   * state): fetch the certified state of the start of the next round from the voters that
   * precommitted it, check its root, adopt it. Training and computing wait meanwhile.
   */
  private void repair(RoundAction.Repair r) {
    repairing = true;
    repairs++;
    status("round " + r.round() + ": our result differs from the certified one (root " + r.certifiedRoot().hex().substring(0, 12) + "); fetching the certified state");
    List<PeerId> sources = new ArrayList<>();
    for (PeerKey k : r.sources()) {
      PeerId p = peers.get(k);
      if (p != null && !p.equals(host.peerId())) sources.add(p);
    }
    tryRepair(r, sources, 0, 0);
  }

  private void tryRepair(RoundAction.Repair r, List<PeerId> sources, int index, int attempt) {
    if (closed) return;
    if (index >= sources.size()) {
      if (attempt >= REPAIR_ATTEMPTS) {
        status("could not repair round " + r.round() + " from " + sources.size() + " peers; waiting for a checkpoint");
        repairing = false;
        catchUp("repair failed", () -> {});
        return;
      }
      rt.schedule(1_000, () -> tryRepair(r, sources, 0, attempt + 1));
      return;
    }
    checkpoints.atRound(sources.get(index), r.round() + 1).whenComplete((got, e) -> rt.execute(() -> {
      CertifiedCheckpoint c = null;
      if (e == null && got.isPresent()) {
        try {
          c = CertifiedCheckpoint.decode(got.get());
        } catch (IllegalArgumentException ex) {
          c = null;
        }
      }
      if (c == null || c.checkpoint().theta().length != theta.length || !c.state().root().equals(r.certifiedRoot())) {
        tryRepair(r, sources, index + 1, attempt);
        return;
      }
      Decision d = machine.decision(r.round());
      adopt(c.state(), d != null ? d.seed() : c.seed());
      recordApplied(r.round(), "repaired from " + short58(sources.get(index)), List.of(), "repaired: our computed state differed from the certified one", null, rt.nowMillis(), List.of());
      repairing = false;
      List<Runnable> queued = new ArrayList<>(afterRepair);
      afterRepair.clear();
      queued.forEach(Runnable::run);
    }));
  }

  /**
   * The round topic carries no round messages (they go point to point over {@link RoundLink}); a
   * node stays subscribed so its gossip mesh with the run's members forms, which the CRDT state and
   * the dashboard's peer view use.
   */
  private void onGossip(PubsubMessage m, MessageId id, PeerId receivedFrom) {
    // nothing on the round topic is for us
  }

  private Signed openNested(dev.weft.node.round.msg.pb.Envelope e) {
    try {
      return roundCodec.openChecked(e);
    } catch (dev.weft.node.round.msg.RoundMessageException ex) {
      return null;
    }
  }

  /** What a piece of certified evidence proves, in words. */
  private String evidenceKind(Signed ev) {
    Signed first = ev.evidence().hasFirst() ? openNested(ev.evidence().getFirst()) : null;
    String what = first == null ? "message" : first.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return ev.evidence().hasSecond() ? "two conflicting signed " + what + "s for round " + ev.round() : "an invalid " + what + " in round " + ev.round();
  }

  private String peerName(PeerKey k) {
    return peerName(k.hex());
  }

  /** Base58 peer id of a member named by its key's hex (what aggregation reports carry). */
  private String peerName(String keyHex) {
    return namesByHex.getOrDefault(keyHex, keyHex);
  }

  // ------------------------------------------------------------------------- checkpoints

  private CertifiedCheckpoint certifiedCheckpoint() {
    Checkpoint c = new Checkpoint(spec.modelSpec(), model.rounds(), spec.innerSteps(), model.theta(), spec.outer(), model.momentum());
    return new CertifiedCheckpoint(c, model.tokens(), seed, machine == null ? banned : machine.membership().banned(),
        model.rounds() == 0 ? null : certificate);
  }

  private void serveCheckpoint() {
    checkpoints.serve(model.rounds(), certifiedCheckpoint().encode());
  }

  private Path checkpointFile() {
    return o.dir() == null ? null : o.dir().resolve("state.ckpt");
  }

  private void writeOwnCheckpoint() {
    Path f = checkpointFile();
    if (f == null) return;
    try {
      Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      Files.write(tmp, certifiedCheckpoint().encode());
      Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      status("cannot write the checkpoint: " + e.getMessage());
    }
  }

  private CertifiedCheckpoint readOwnCheckpoint() {
    Path f = checkpointFile();
    if (f == null || !Files.exists(f)) return null;
    try {
      CertifiedCheckpoint c = CertifiedCheckpoint.decode(Files.readAllBytes(f));
      if (!c.checkpoint().model().equals(spec.modelSpec())) throw new IOException("it is for another model");
      return c;
    } catch (IOException | RuntimeException e) {
      status("ignoring the checkpoint in " + f + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * Asks up to {@link #CHECKPOINT_ASK} connected members for their latest checkpoint and adopts the
   * newest one whose state its certificate proves (precommits of f + 1 of the run's members,
   * {@link CheckpointCertificate}), if it is ahead of ours; then runs {@code then}. Used when
   * joining: a node that was away longer than the certificates peers retain cannot replay rounds.
   * The ban list, which no single certificate covers, must still be agreed by two certified answers
   * (or be the only one's); within retention the round protocol replays certified rounds instead.
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
      List<CertifiedCheckpoint> got = new ArrayList<>();
      for (CompletableFuture<Optional<byte[]>> f : answers) {
        Optional<byte[]> bytes = f.join();
        if (bytes.isEmpty()) continue;
        try {
          CertifiedCheckpoint c = CertifiedCheckpoint.decode(bytes.get());
          if (c.checkpoint().model().equals(spec.modelSpec()) && c.checkpoint().theta().length == theta.length) got.add(c);
        } catch (RuntimeException ex) {
          // a malformed checkpoint counts as no answer
        }
      }
      // Only a state the run certified is adopted: one peer's certificate suffices, and no number
      // of colluding peers can make an uncertified one count (CheckpointCertificate).
      CheckpointAgreement.Choice choice = CheckpointAgreement.chooseCertified(got, this::certified);
      if (choice == null && !got.isEmpty()) status("no certified checkpoint among " + got.size() + " answers (" + uncertifiedReason(got.get(0)) + ")");
      CertifiedCheckpoint best = choice == null ? null : choice.checkpoint();
      // Within the certificates peers retain, replaying certified rounds is better than trusting agreement.
      long lag = best == null ? 0 : best.round() - model.rounds();
      if (best != null && (lag > REPLAY_ROUNDS || (machine == null && lag > 0 && !canReplay()))) {
        long from = model.rounds();
        banned = best.banned();
        certificate = best.certificate();
        adopt(best.state(), best.seed());
        resyncs++;
        status("caught up from round " + from + " to round " + best.round() + " (" + why + "; certified checkpoint, from " + choice.votes() + " of " + choice.answered() + " peers)");
        o.listener().resynced(this, from, best.round(), why);
        if (machine != null) {
          machine = null;
          for (Cancellable c : timers) c.cancel();
          timers.clear();
        }
        startMachine();
        return;
      }
      if (best != null && lag > 0) status("rejoining " + lag + " rounds behind: replaying the certified rounds from peers");
      then.run();
    }));
  }

  private boolean certified(CertifiedCheckpoint c) {
    return uncertifiedReason(c) == null;
  }

  /** Why {@code c}'s state is not proven certified, or null: its certificate against the run's members voting by its round. */
  private String uncertifiedReason(CertifiedCheckpoint c) {
    List<PeerKey> members = new ArrayList<>();
    for (RunSpec.Member m : spec.members()) if (m.fromRound() <= c.round() - 1) members.add(keys.get(PeerId.parse(m.peer())));
    return CheckpointCertificate.check(c, c.certificate(), roundCodec, members);
  }

  /** A node with state of its own replays certified rounds; one starting from the initial θ downloads a checkpoint. */
  private boolean canReplay() {
    return model.rounds() > 0;
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

  /**
   * Serves a blob of the run this node holds in its blob store (the checkpoint and data shards a
   * volunteer downloaded) and provides it in the DHT now and every {@link #REPROVIDE_PERIOD_MILLIS}, so the
   * run's blobs outlive the coordinator and later joiners download them from volunteers.
   */
  public void serveBlob(BlobId blob) {
    if (!blobStore.isComplete(blob)) throw new IllegalArgumentException("blob " + blob + " is not complete in " + blobDir);
    served.add(blob);
    dht.node().provide(blob.multihash()).exceptionally(e -> null);
  }

  /** Bytes of blobs (contributions, the run's checkpoint and shards) served to peers. */
  public long blobBytesServed() {
    return blocks.bytesServed();
  }

  /** This node's NAT traversal (reachability, relays, hole punches, port mapping); null before boot. */
  public dev.weft.p2p.nat.traversal.NatTraversal nat() {
    return nat;
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

  /** Round-protocol bytes sent and received: signed frames (each copy) plus contribution blobs served and fetched. */
  public long roundBytesOut() {
    return roundBytesOut.get() + (blocks == null ? 0 : blocks.bytesServed());
  }

  public long roundBytesIn() {
    return roundBytesIn.get() + (blocks == null ? 0 : blocks.bytesFetched());
  }

  /** Round messages rejected by the codec or the protocol's rules. */
  public long misbehavedMessages() {
    return misbehaved;
  }

  /** Rounds repaired from peers because our computed state differed from the certified one. */
  public int repairs() {
    return repairs;
  }

  /** The round machine's halt reason (null while it runs). */
  public String haltReason() {
    return machine == null ? null : machine.haltReason();
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
    return crdt.call(() -> runState.contributions(r));
  }

  /** Members in this node's CRDT replica (join records). */
  public CompletableFuture<Integer> memberCount() {
    return crdt.call(() -> runState.members().size());
  }

  /** Peers subscribed to the run's round topic. */
  public CompletableFuture<Set<PeerId>> topicPeers() {
    return gossip.topicPeers(topic);
  }

  /** The live members (CRDT members we are connected to, ourselves included). */
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
      for (Cancellable c : timers) c.cancel();
      timers.clear();
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
      // A trainer must not be freed mid-step; a training still waiting at its round gate never starts (it sees closed).
      if (trainGate.isDone()) inFlight.handle((v, e) -> null).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("{}: training did not stop in time", label());
    }
    if (trainer != null) trainer.close();
    rt.close();
    if (blobStore != null) blobStore.close();
    if (blobDir != null && o.dir() == null) {
      try (var files = Files.walk(blobDir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
      } catch (IOException e) {
        LOG.debug("{}: removing {}: {}", label(), blobDir, e.toString());
      }
    }
    if (replicaStore instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("{}: closing the replica store: {}", label(), e.toString());
      }
    }
  }

  // ------------------------------------------------------------------------- helpers

  /** The leader seed of round 0: bound to the run and its initial parameters. */
  static Digest genesisSeed(String runId, String initialHash) {
    return Digest.of(("weft/genesis/1/" + runId + "/" + initialHash).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Block-exchange limits for contribution blobs: a blob at most twice θ in float32 plus a margin
   * (no codec here is larger than raw float32), so a peer cannot make us download more.
   */
  static BlocksConfig contributionBlocks(int dimension) {
    BlocksConfig d = BlocksConfig.defaults();
    long maxBlob = 8L * dimension + (1 << 20);
    return new BlocksConfig(d.chunkBytes(), d.maxChunkBytes(), d.maxManifestBytes(), maxBlob, Math.max(64L << 20, maxBlob * 4L * RETENTION_ROUNDS * 8),
        d.requestTimeoutMillis(), d.inboundReadTimeoutMillis(), d.maxInboundStreamsPerPeer(), d.maxInboundStreamsTotal(), d.serveBytesPerSecond(),
        d.maxInFlightPerProvider(), d.maxTimeoutsPerProvider(), d.maxProvidersPerDownload(), 64, d.busyBackoffMillis());
  }

  static String short58(PeerId p) {
    String s = p.toBase58();
    return s.substring(Math.max(0, s.length() - 6));
  }

  /** Port mapping's blocking UDP exchanges with the gateway: a virtual thread each, nothing to shut down. */
  private static java.util.concurrent.Executor natBlocking() {
    return r -> Thread.ofVirtual().name("weft-nat-mapping").start(r);
  }

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
