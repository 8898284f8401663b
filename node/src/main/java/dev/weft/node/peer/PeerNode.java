package dev.weft.node.peer;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.QueryResult;
import dev.weft.dht.host.KadDht;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.record.PubKeyDecoder;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.RocksDhtStore;
import dev.weft.node.blocks.BlobId;
import dev.weft.node.blocks.BlobStore;
import dev.weft.node.blocks.BlocksConfig;
import dev.weft.node.blocks.BlocksService;
import dev.weft.node.blocks.DownloadResult;
import dev.weft.node.run.InvalidManifestException;
import dev.weft.node.run.RunGossip;
import dev.weft.node.run.RunIndex;
import dev.weft.node.run.SignedManifest;
import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.KeyFiles;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.host.InMemoryPeerStore;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.pubsub.gossipsub.GossipsubConfig;
import dev.weft.p2p.pubsub.gossipsub.GossipsubService;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreParams;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreThresholds;
import dev.weft.p2p.pubsub.gossipsub.TopicScoreParams;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One weft peer's networking, wired: a TCP host, the DHT (RocksDB in {@code DIR/dht}), the blob
 * store and block exchange ({@code DIR/blobs}), and gossipsub with the run-announcement topic.
 * What coordinators and volunteers share: publish and find runs, seed and download blobs. The
 * round protocol and the trainer plug in on top (see docs/node.md, "What plugs in where").
 *
 * <p>Thread-safe; every method returns at once with a future. Close it to stop everything it
 * started (in reverse order).
 */
public final class PeerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerNode.class);
  /** Providers asked for per blob: enough to spread a checkpoint over many. */
  public static final int PROVIDERS_PER_BLOB = 20;
  public static final PubKeyDecoder KEYS = Keys::unmarshalPublicKey;
  /** Runs remembered from gossip at most: any peer may publish runs, each is a few KiB. */
  public static final int MAX_RUNS_SEEN = 1024;

  /**
   * @param dir state directory (identity, DHT, blobs); null keeps the DHT in memory and needs {@code blobDir}
   * @param keepPrivateAddrs keep loopback/private addresses in DHT answers (loopback networks)
   * @param hostLimits what peers may make the host hold (connections, streams, buffers, per-source shares)
   */
  public record Config(Path dir, List<Multiaddr> listen, boolean keepPrivateAddrs, BlocksConfig blocks, DhtConfig dht,
      dev.weft.p2p.resource.ResourceLimits hostLimits) {
    public Config {
      listen = List.copyOf(listen);
      if (dir == null) throw new IllegalArgumentException("a peer needs a state directory");
      if (hostLimits == null) hostLimits = dev.weft.p2p.resource.ResourceLimits.DEFAULT;
    }

    /** With the default host limits. */
    public Config(Path dir, List<Multiaddr> listen, boolean keepPrivateAddrs, BlocksConfig blocks, DhtConfig dht) {
      this(dir, listen, keepPrivateAddrs, blocks, dht, null);
    }

    public static Config loopback(Path dir) {
      return new Config(dir, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), true, BlocksConfig.defaults(), DhtConfig.defaults());
    }
  }

  private final BasicHost host;
  private final KadDht dht;
  private final DhtStore dhtStore;
  private final BlobStore blobs;
  private final BlocksService blocks;
  private final GossipsubService gossip;
  private final Map<String, SignedManifest.Signed> runsSeen = new ConcurrentHashMap<>();

  private PeerNode(BasicHost host, KadDht dht, DhtStore dhtStore, BlobStore blobs, BlocksService blocks, GossipsubService gossip) {
    this.host = host;
    this.dht = dht;
    this.dhtStore = dhtStore;
    this.blobs = blobs;
    this.blocks = blocks;
    this.gossip = gossip;
  }

  /** The identity in {@code dir/identity.key}, created (owner-only) the first time. */
  public static PrivKey identity(Path dir) throws IOException {
    Path f = dir.resolve("identity.key");
    if (Files.exists(f)) return KeyFiles.load(f);
    Files.createDirectories(dir);
    PrivKey k = Ed25519.generate(new SecureRandom());
    KeyFiles.save(k, f);
    return k;
  }

  /** Starts a peer with {@code key}. */
  public static PeerNode start(PrivKey key, Config config) throws IOException {
    Files.createDirectories(config.dir());
    HostBuilder b = BasicHost.builder().privateKey(key).transport(TcpTransport::new).resourceLimits(config.hostLimits());
    for (Multiaddr a : config.listen()) b.listen(a);
    HostBuilder.Built built = b.buildWithServices();
    try {
      built.host().start().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      built.host().close();
      throw new IOException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
    }
    BasicHost host = built.host();
    DhtStore store = null;
    BlobStore blobs = null;
    try {
      store = RocksDhtStore.open(config.dir().resolve("dht"));
      KadDht dht = KadDht.install(host, config.dht(), store, ValidatorRegistry.standard(KEYS), built.ping(), config.keepPrivateAddrs());
      blobs = BlobStore.open(config.dir().resolve("blobs"), config.blocks());
      BlocksService blocks = BlocksService.install(host, config.blocks(), blobs);
      PeerScoreParams params = PeerScoreParams.defaults(Map.of()).withDefaultTopic(TopicScoreParams.defaults())
          .withIpColocationWhitelist(Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1"));
      PeerNode[] self = new PeerNode[1];
      GossipsubService gossip = new GossipsubService(host, host.scheduler(), new Random(new SecureRandom().nextLong()), GossipsubConfig.defaults(), params,
          PeerScoreThresholds.defaults(), (m, id, from) -> {
            if (self[0] != null && RunGossip.TOPIC.equals(m.topic())) self[0].onRunGossip(m.data());
          });
      gossip.start();
      PeerNode n = new PeerNode(host, dht, store, blobs, blocks, gossip);
      self[0] = n;
      RunGossip.join(gossip, System::currentTimeMillis, KEYS);
      return n;
    } catch (RuntimeException e) {
      host.close();
      if (blobs != null) blobs.close();
      if (store != null) store.close();
      throw e;
    }
  }


  private void onRunGossip(byte[] data) {
    RunGossip.verify(data, System.currentTimeMillis(), KEYS).ifPresent(s -> {
      // Full: keep what we have (a flood of new runs cannot evict the ones a volunteer looks for).
      if (runsSeen.size() < MAX_RUNS_SEEN || runsSeen.containsKey(s.runId())) runsSeen.put(s.runId(), s);
    });
  }

  public BasicHost host() {
    return host;
  }

  public PeerId peerId() {
    return host.peerId();
  }

  public KadDht dht() {
    return dht;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public BlocksService blocks() {
    return blocks;
  }

  public GossipsubService gossip() {
    return gossip;
  }

  /** This peer's dialable addresses, each with /p2p/. */
  public List<Multiaddr> addresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : host.listenAddresses()) out.add(a.withPeerId(host.peerId()));
    return out;
  }

  /** Joins the network through {@code peers} (each with /p2p/); completes with the routing table's size. */
  public CompletableFuture<Integer> bootstrap(List<Multiaddr> peers) {
    if (peers.isEmpty()) return routingTableSize();
    return dht.bootstrap(peers).thenCompose(r -> routingTableSize());
  }

  /** Peers in the DHT routing table (read on the host's scheduler, where the table lives). */
  public CompletableFuture<Integer> routingTableSize() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    host.scheduler().execute(() -> f.complete(dht.node().routingTable().size()));
    return f;
  }

  /** Runs announced on gossip since we started (verified). */
  public Collection<SignedManifest.Signed> runsSeenOnGossip() {
    return List.copyOf(runsSeen.values());
  }

  /**
   * Publishes a signed manifest: PUT_VALUE to the DHT, the coordinator's run index updated (when
   * {@code coordinator} is given: only its key can sign the index), the well-known runs key
   * provided, and the record gossiped.
   */
  public CompletableFuture<QueryResult.Stored> publish(SignedManifest.Signed s, PrivKey coordinator) {
    CompletableFuture<QueryResult.Stored> put = dht.node().putValue(s.key(), s.value());
    CompletableFuture<?> index = coordinator == null ? CompletableFuture.completedFuture(null) : updateIndex(coordinator, s.manifest().name());
    RunGossip.publish(gossip, s).exceptionally(e -> {
      LOG.debug("gossip of {} failed (no topic peers yet?): {}", s.runId(), e.toString());
      return null;
    });
    return put.thenCombine(index, (p, i) -> p);
  }

  private CompletableFuture<?> updateIndex(PrivKey coordinator, String name) {
    PeerId me = PeerId.fromPublicKey(coordinator.publicKey());
    return dht.node().getValue(RunIndex.key(me), false).thenCompose(v -> {
      List<String> names = new ArrayList<>();
      long seq = 0;
      if (v.value().isPresent()) {
        try {
          RunIndex.Index idx = RunIndex.verify(me, v.value().get(), System.currentTimeMillis(), KEYS);
          names.addAll(idx.names());
          seq = idx.seq() + 1;
        } catch (InvalidManifestException e) {
          LOG.warn("our run index in the DHT does not verify; rewriting it: {}", e.getMessage());
        }
      }
      if (!names.contains(name)) names.add(name);
      byte[] value = RunIndex.sign(coordinator, names, seq, System.currentTimeMillis() + SignedManifest.DEFAULT_VALIDITY_MILLIS);
      return dht.node().putValue(RunIndex.key(me), value).thenCompose(x -> dht.node().provide(RunIndex.RUNS_KEY));
    });
  }

  /** The run {@code runId}, from gossip or the DHT, verified; empty when nobody has it. */
  public CompletableFuture<Optional<SignedManifest.Signed>> findRun(String runId) {
    SignedManifest.Signed seen = runsSeen.get(runId);
    if (seen != null) return CompletableFuture.completedFuture(Optional.of(seen));
    byte[] key = SignedManifest.key(runId);
    return dht.node().getValue(key, false).thenApply(v -> {
      if (v.value().isEmpty()) return Optional.empty();
      try {
        return Optional.of(SignedManifest.verify(key, v.value().get(), System.currentTimeMillis(), KEYS));
      } catch (InvalidManifestException e) {
        // The DHT validated it, so only the manifest itself (or its coordinator claim) is at fault.
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  /** Every run of the coordinators that provide the runs key, and of {@code authors}, that verifies. */
  public CompletableFuture<List<SignedManifest.Signed>> listRuns(Collection<PeerId> authors) {
    return dht.node().findProviders(RunIndex.RUNS_KEY, 64, false).thenCompose(p -> {
      Set<PeerId> all = new LinkedHashSet<>(authors);
      for (PeerInfo i : p.providers()) all.add(i.id());
      List<CompletableFuture<List<SignedManifest.Signed>>> parts = new ArrayList<>();
      for (PeerId a : all) parts.add(runsOf(a));
      return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(x -> {
        List<SignedManifest.Signed> out = new ArrayList<>();
        for (CompletableFuture<List<SignedManifest.Signed>> f : parts) out.addAll(f.join());
        for (SignedManifest.Signed s : runsSeen.values()) if (out.stream().noneMatch(o -> o.runId().equals(s.runId()))) out.add(s);
        out.sort(java.util.Comparator.comparing(SignedManifest.Signed::runId));
        return out;
      });
    });
  }

  private CompletableFuture<List<SignedManifest.Signed>> runsOf(PeerId author) {
    return dht.node().getValue(RunIndex.key(author), false).thenCompose(v -> {
      if (v.value().isEmpty()) return CompletableFuture.completedFuture(List.<SignedManifest.Signed>of());
      List<String> names;
      try {
        names = RunIndex.verify(author, v.value().get(), System.currentTimeMillis(), KEYS).names();
      } catch (InvalidManifestException e) {
        return CompletableFuture.completedFuture(List.<SignedManifest.Signed>of());
      }
      List<CompletableFuture<Optional<SignedManifest.Signed>>> fs = new ArrayList<>();
      for (String n : names) fs.add(findRun(author.toBase58() + "/" + n).exceptionally(e -> Optional.empty()));
      return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
          .thenApply(x -> fs.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }).exceptionally(e -> List.of());
  }

  /** Announces us as a provider of {@code blob} (which we must hold complete). */
  public CompletableFuture<QueryResult.Stored> provide(BlobId blob) {
    if (!blobs.isComplete(blob)) return CompletableFuture.failedFuture(new IllegalStateException("blob " + blob + " is not complete here"));
    return dht.node().provide(blob.multihash());
  }

  /**
   * Downloads {@code blob} from its providers in the DHT and our connected peers, then provides
   * it. Completes at once when the blob is complete here already.
   */
  public CompletableFuture<DownloadResult> download(BlobId blob) {
    if (blobs.isComplete(blob)) {
      return CompletableFuture.completedFuture(new DownloadResult(blobs.manifest(blob).orElseThrow(), 0, blobs.manifest(blob).get().chunkCount(), 0, List.of(), 0));
    }
    return dht.node().findProviders(blob.multihash(), PROVIDERS_PER_BLOB, false).thenCompose(found -> {
      List<PeerId> providers = new ArrayList<>();
      for (PeerInfo p : found.providers()) {
        if (p.id().equals(host.peerId())) continue;
        List<Multiaddr> addrs = new ArrayList<>();
        for (byte[] a : p.addrs()) {
          try {
            addrs.add(Multiaddr.fromBytes(a));
          } catch (RuntimeException e) {
            // a provider's bad address: skip it, the others may do
          }
        }
        if (!addrs.isEmpty()) host.peerStore().addAddresses(p.id(), addrs, InMemoryPeerStore.PERMANENT_ADDRESS_TTL_MILLIS);
        providers.add(p.id());
      }
      for (Connection c : host.connections()) if (!providers.contains(c.remotePeer())) providers.add(c.remotePeer());
      return blocks.fetch(blob, providers).result();
    }).thenCompose(r -> provide(blob).handle((x, e) -> {
      if (e != null) LOG.debug("providing {} failed: {}", blob, e.toString());
      return r;
    }));
  }

  @Override public void close() {
    try {
      gossip.close();
    } catch (RuntimeException e) {
      LOG.debug("gossip close: {}", e.toString());
    }
    blocks.close();
    dht.close();
    host.close();
    blobs.close();
    dhtStore.close();
  }
}
