package dev.weft.dht;

import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.codec.DhtMessage.DhtRecord;
import dev.weft.dht.codec.DhtMessage.Type;
import dev.weft.dht.lookup.ClosestPeersLookup;
import dev.weft.dht.lookup.DisjointLookup;
import dev.weft.dht.lookup.Lookup;
import dev.weft.dht.lookup.LookupAction;
import dev.weft.dht.lookup.LookupConfig;
import dev.weft.dht.record.InvalidRecordException;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.routing.RoutingTable;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.StoredPeer;
import dev.weft.dht.store.StoredRecord;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multihash;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kademlia DHT node (specs/libp2p/kad-dht): answers requests, runs lookups, stores values and
 * provider records, keeps its routing table alive, republishes what it owns. It does no I/O of its
 * own: requests leave through a {@link KadNetwork}, time comes from a {@link Scheduler}, so the
 * same code runs on a libp2p host and in a 500-node simulation.
 *
 * <p>Threading: all state is confined to {@code scheduler}. Public operations may be called from
 * any thread (they hop onto the scheduler); their futures complete on the scheduler thread.
 * {@link #handleRequest} must be called on the scheduler thread.
 */
public final class KadNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KadNode.class);
  /** How often expired records and provider records are swept out. */
  static final long SWEEP_INTERVAL_MILLIS = DhtConfig.HOUR;
  /** Random bytes in a refresh key; any length works, the receiver hashes it. */
  private static final int REFRESH_KEY_BYTES = 16;
  /**
   * A table with fewer residents than this is topped up by a self-lookup every
   * {@link #LOW_PEERS_CHECK_MILLIS}: nodes that bootstrapped at the same instant only saw the
   * bootstrap node, and would otherwise wait a whole refresh period to find each other.
   */
  static final int LOW_PEERS_THRESHOLD = 10;
  static final long LOW_PEERS_CHECK_MILLIS = DhtConfig.MINUTE;
  /** Bootstrap lookups tried before giving up until the next refresh (which retries with the same seeds). */
  static final int MAX_BOOTSTRAP_ATTEMPTS = 3;
  /** Back-off between bootstrap attempts, times the attempt number. */
  static final long BOOTSTRAP_RETRY_MILLIS = 5_000;

  private final PeerInfo self;
  private final DhtConfig config;
  private final Scheduler scheduler;
  private final WallClock wall;
  private final Random random;
  private final KadNetwork network;
  private final DhtStore store;
  private final ValidatorRegistry validators;
  private final RoutingTable table;
  private final RecordBook records;
  private final ProviderBook providers;
  private final PeerScores scores = new PeerScores();
  private final Set<PeerId> pendingPings = new HashSet<>();
  private final List<Cancellable> timers = new ArrayList<>();
  private List<PeerInfo> bootstrapSeeds = List.of();
  private Consumer<PeerId> banListener = p -> { };
  private long messagesSent;
  private long requestsServed;
  private boolean closed;

  /**
   * @param self our id and the addresses we announce
   * @param random seeded in simulations; used for refresh keys only
   */
  public KadNode(PeerInfo self, DhtConfig config, Scheduler scheduler, WallClock wall, Random random, KadNetwork network, DhtStore store, ValidatorRegistry validators) {
    this.self = self;
    this.config = config;
    this.scheduler = scheduler;
    this.wall = wall;
    this.random = random;
    this.network = network;
    this.store = store;
    this.validators = validators;
    this.table = new RoutingTable(self.kadKey(), config.lookup().k(), scheduler.nowMillis());
    this.records = new RecordBook(store, validators, wall, config);
    this.providers = new ProviderBook(store, wall, config);
    for (StoredPeer p : store.peers()) table.add(PeerInfo.of(p.peer(), p.addrs()), scheduler.nowMillis());
  }

  public PeerInfo self() {
    return self;
  }

  public PeerId peerId() {
    return self.id();
  }

  public DhtConfig config() {
    return config;
  }

  public boolean isServer() {
    return config.mode() == DhtMode.SERVER;
  }

  public RoutingTable routingTable() {
    return table;
  }

  public RecordBook records() {
    return records;
  }

  public ProviderBook providerBook() {
    return providers;
  }

  public PeerScores scores() {
    return scores;
  }

  public long messagesSent() {
    return messagesSent;
  }

  public long requestsServed() {
    return requestsServed;
  }

  /** Starts periodic bucket refresh, republishing and expiry sweeps. Call on the scheduler. */
  public void start() {
    timers.add(scheduler.scheduleAtFixedRate(config.refreshIntervalMillis(), config.refreshIntervalMillis(), this::refresh));
    timers.add(scheduler.scheduleAtFixedRate(config.republishIntervalMillis(), config.republishIntervalMillis(), this::republish));
    timers.add(scheduler.scheduleAtFixedRate(SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS, this::sweep));
    timers.add(scheduler.scheduleAtFixedRate(LOW_PEERS_CHECK_MILLIS, LOW_PEERS_CHECK_MILLIS, this::fixLowPeers));
  }

  /** Stops timers and saves the routing table; the store stays open (its owner closes it). */
  @Override public void close() {
    if (closed) return;
    closed = true;
    timers.forEach(Cancellable::cancel);
    timers.clear();
    persistRoutingTable();
  }

  // ---------------------------------------------------------------- inbound

  /**
   * Answers one request from {@code from}. Returns the response, or empty when none is due
   * (ADD_PROVIDER), when we are a client, or when the request was invalid (the adapter then
   * resets the stream). Runs on the scheduler thread.
   *
   * @param fromIsServer whether the sender advertises the DHT protocol (identify, or the
   *     simulation's knowledge): only servers enter the routing table
   */
  public Optional<DhtMessage> handleRequest(PeerInfo from, boolean fromIsServer, DhtMessage req) {
    long now = scheduler.nowMillis();
    if (closed || !isServer() || scores.isBanned(from.id(), now)) return Optional.empty();
    requestsServed++;
    if (fromIsServer) considerPeer(from);
    KadKey target = KadKey.ofKey(req.key());
    return switch (req.type()) {
      case FIND_NODE -> Optional.of(new DhtMessage(Type.FIND_NODE, req.key(), null, closerPeers(target, from.id(), req.key()), List.of()));
      case GET_VALUE -> {
        DhtRecord rec = records.get(req.key())
            .map(r -> new DhtRecord(req.key(), r.value(), Instant.ofEpochMilli(r.receivedAtEpochMillis()).toString()))
            .orElse(null);
        yield Optional.of(new DhtMessage(Type.GET_VALUE, req.key(), rec, closerPeers(target, from.id(), req.key()), List.of()));
      }
      case PUT_VALUE -> handlePut(from, req);
      case GET_PROVIDERS -> Optional.of(new DhtMessage(Type.GET_PROVIDERS, req.key(), null, closerPeers(target, from.id(), req.key()),
          providers.get(req.key(), config.lookup().k())));
      case ADD_PROVIDER -> {
        handleAddProvider(from, req);
        yield Optional.empty();
      }
      case PING -> Optional.of(DhtMessage.request(Type.PING, req.key()));
    };
  }

  /** The adapter could not decode a request from {@code peer}: it misbehaved. */
  public void onMalformedRequest(PeerId peer, String reason) {
    LOG.debug("malformed request from {}: {}", peer, reason);
    penalise(peer, PeerScores.Offence.MALFORMED_MESSAGE);
  }

  private Optional<DhtMessage> handlePut(PeerInfo from, DhtMessage req) {
    DhtRecord rec = req.record();
    if (rec == null || !Arrays.equals(rec.key(), req.key())) {
      penalise(from.id(), PeerScores.Offence.WRONG_RESPONSE);
      return Optional.empty();
    }
    try {
      records.put(rec.key(), rec.value(), false);
      return Optional.of(req);
    } catch (InvalidRecordException e) {
      LOG.debug("rejected PUT_VALUE from {}: {}", from.id(), e.getMessage());
      penalise(from.id(), PeerScores.Offence.INVALID_RECORD);
      return Optional.empty();
    }
  }

  private void handleAddProvider(PeerInfo from, DhtMessage req) {
    try {
      Multihash.decode(req.key());
    } catch (IllegalArgumentException e) {
      penalise(from.id(), PeerScores.Offence.WRONG_RESPONSE);
      return;
    }
    for (PeerInfo p : req.providerPeers()) {
      if (!p.id().equals(from.id())) {
        // only the sender may announce itself (spec); go and js skip others silently, we also score it
        penalise(from.id(), PeerScores.Offence.FORGED_PROVIDER);
        continue;
      }
      providers.add(req.key(), p.addrs().isEmpty() ? from : p);
    }
  }

  private List<PeerInfo> closerPeers(KadKey target, PeerId requester, byte[] key) {
    List<PeerInfo> out = new ArrayList<>(config.lookup().k());
    if (Arrays.equals(key, self.id().bytes())) out.add(self);
    for (PeerInfo p : table.closest(target, config.lookup().k() + 1)) {
      if (!p.id().equals(requester) && out.size() < config.lookup().k()) out.add(p);
    }
    return out;
  }

  // ---------------------------------------------------------------- routing table upkeep

  /**
   * A peer identified itself as a DHT server (identify on a live connection): offer it to the
   * routing table. Runs on the scheduler thread.
   */
  public void offerPeer(PeerInfo p) {
    if (!closed) considerPeer(p);
  }

  /** A server peer proved alive: add it, or check the resident it would displace. */
  private void considerPeer(PeerInfo p) {
    if (p.id().equals(self.id()) || scores.isBanned(p.id(), scheduler.nowMillis())) return;
    if (table.add(p, scheduler.nowMillis()) instanceof RoutingTable.AddResult.BucketFull full) checkLiveness(full.leastRecentlySeen());
  }

  private void checkLiveness(PeerInfo resident) {
    if (!pendingPings.add(resident.id())) return;
    boolean[] done = new boolean[1];
    Consumer<Boolean> finish = alive -> {
      if (done[0]) return;
      done[0] = true;
      pendingPings.remove(resident.id());
      if (alive) table.add(resident, scheduler.nowMillis());
      else table.remove(resident.id());
    };
    messagesSent++;
    scheduler.schedule(config.lookup().requestTimeoutMillis(), () -> finish.accept(false));
    network.ping(resident, alive -> finish.accept(alive));
  }

  private void penalise(PeerId peer, PeerScores.Offence offence) {
    boolean newlyBanned = scores.penalise(peer, offence, scheduler.nowMillis());
    if (newlyBanned || scores.isBanned(peer, scheduler.nowMillis())) {
      if (newlyBanned) LOG.debug("banning {} after repeated misbehaviour", peer);
      table.remove(peer);
      banListener.accept(peer);
    }
  }

  /** Called (on the scheduler thread) when a banned peer misbehaves (again); the host adapter disconnects it. */
  public void onBan(Consumer<PeerId> listener) {
    this.banListener = listener;
  }

  /** Looks up a random key in every stale bucket, and ourselves. Runs on the scheduler. */
  public void refresh() {
    if (closed) return;
    long now = scheduler.nowMillis();
    List<PeerInfo> seeds = table.size() == 0 ? bootstrapSeeds : List.of();
    for (int cpl : table.staleBuckets(now, config.refreshIntervalMillis(), config.maxRefreshCpl())) {
      byte[] key = refreshKey(cpl);
      lookup(KadKey.ofKey(key), DhtMessage.request(Type.FIND_NODE, key), config.lookup(), (p, m) -> Verdict.CONTINUE, List.of());
    }
    lookup(self.kadKey(), DhtMessage.request(Type.FIND_NODE, self.id().bytes()), config.lookup(), (p, m) -> Verdict.CONTINUE, seeds);
    persistRoutingTable();
  }

  /** Random key bytes whose point shares exactly {@code cpl} leading bits with ours. */
  byte[] refreshKey(int cpl) {
    byte[] key = new byte[REFRESH_KEY_BYTES];
    while (true) {
      random.nextBytes(key);
      if (self.kadKey().commonPrefixLength(KadKey.ofKey(key)) == cpl) return key;
    }
  }

  private void fixLowPeers() {
    if (closed || table.size() >= LOW_PEERS_THRESHOLD || (table.size() == 0 && bootstrapSeeds.isEmpty())) return;
    lookup(self.kadKey(), DhtMessage.request(Type.FIND_NODE, self.id().bytes()), config.lookup(), (p, m) -> Verdict.CONTINUE, bootstrapSeeds);
  }

  private void persistRoutingTable() {
    Set<PeerId> live = new HashSet<>();
    long wallNow = wall.epochMillis();
    long now = scheduler.nowMillis();
    for (RoutingTable.Entry e : table.entries()) {
      live.add(e.peer().id());
      store.putPeer(new StoredPeer(e.peer().id(), e.peer().addrs(), wallNow - (now - e.lastSeenMillis())));
    }
    for (StoredPeer p : store.peers()) if (!live.contains(p.peer())) store.deletePeer(p.peer());
  }

  private void republish() {
    if (closed) return;
    for (byte[][] kv : records.ownRecords()) putValue(kv[0], kv[1]);
    List<byte[]> own = new ArrayList<>();
    store.forEachProvider((k, p) -> {
      if (p.provider().equals(self.id())) own.add(k);
    });
    for (byte[] k : own) provide(k);
  }

  private void sweep() {
    records.sweep();
    providers.sweep();
  }

  // ---------------------------------------------------------------- operations

  /**
   * Joins the network through {@code seeds}: a lookup of our own id starting from them, then a
   * refresh of every bucket. Completes with the self-lookup's result.
   */
  public CompletableFuture<QueryResult> bootstrap(List<PeerInfo> seeds) {
    CompletableFuture<QueryResult> out = new CompletableFuture<>();
    scheduler.execute(() -> {
      bootstrapSeeds = List.copyOf(seeds);
      bootstrapAttempt(scheduler.nowMillis(), 1, out);
    });
    return out;
  }

  private void bootstrapAttempt(long started, int attempt, CompletableFuture<QueryResult> out) {
    lookup(self.kadKey(), DhtMessage.request(Type.FIND_NODE, self.id().bytes()), config.lookup(), (p, m) -> Verdict.CONTINUE, bootstrapSeeds)
        .whenComplete((l, e) -> {
          if (table.size() == 0 && attempt < MAX_BOOTSTRAP_ATTEMPTS && !closed) {
            // every seed failed to answer (lost, busy, restarting): try again rather than stay alone
            scheduler.schedule(BOOTSTRAP_RETRY_MILLIS * attempt, () -> bootstrapAttempt(started, attempt + 1, out));
            return;
          }
          long stale = scheduler.nowMillis() - config.refreshIntervalMillis();
          for (int cpl = 0; cpl <= config.maxRefreshCpl(); cpl++) table.markRefreshed(cpl, stale);
          refresh();
          out.complete(new QueryResult(l.result(), Optional.empty(), List.of(), 0, l.hops(), l.queriesSent(), scheduler.nowMillis() - started));
        });
  }

  /** The k closest peers to {@code key} that answered. */
  public CompletableFuture<QueryResult> findClosestPeers(byte[] key) {
    CompletableFuture<QueryResult> out = new CompletableFuture<>();
    scheduler.execute(() -> {
      long started = scheduler.nowMillis();
      lookup(KadKey.ofKey(key), DhtMessage.request(Type.FIND_NODE, key), config.lookup(), (p, m) -> Verdict.CONTINUE, List.of())
          .whenComplete((l, e) -> out.complete(new QueryResult(l.result(), Optional.empty(), List.of(), 0, l.hops(), l.queriesSent(), scheduler.nowMillis() - started)));
    });
    return out;
  }

  /** Finds {@code target}'s addresses: stops as soon as some peer names it (or it answers). */
  public CompletableFuture<QueryResult> findPeer(PeerId target) {
    CompletableFuture<QueryResult> out = new CompletableFuture<>();
    scheduler.execute(() -> {
      long started = scheduler.nowMillis();
      RoutingTable.Entry local = table.find(target);
      if (local != null) {
        out.complete(new QueryResult(List.of(local.peer()), Optional.empty(), List.of(), 0, 0, 0, 0));
        return;
      }
      PeerInfo[] found = new PeerInfo[1];
      int[] hops = new int[1];
      Lookup[] lk = new Lookup[1];
      lookup(KadKey.ofPeer(target), DhtMessage.request(Type.FIND_NODE, target.bytes()), config.lookup(), (p, m) -> {
        if (p.id().equals(target)) found[0] = p;
        for (PeerInfo c : m.closerPeers()) if (c.id().equals(target) && !c.addrs().isEmpty()) found[0] = c;
        if (found[0] == null) return Verdict.CONTINUE;
        hops[0] = lk[0].depthOf(p.id());
        return Verdict.STOP;
      }, List.of(), l -> lk[0] = l).whenComplete((l, e) -> out.complete(new QueryResult(found[0] == null ? List.of() : List.of(found[0]),
          Optional.empty(), List.of(), 0, found[0] == null ? l.hops() : hops[0], l.queriesSent(), scheduler.nowMillis() - started)));
    });
    return out;
  }

  /** Validates and stores {@code value} as our own, then PUT_VALUEs it to the k closest peers. */
  public CompletableFuture<QueryResult> putValue(byte[] key, byte[] value) {
    CompletableFuture<QueryResult> out = new CompletableFuture<>();
    scheduler.execute(() -> {
      long started = scheduler.nowMillis();
      try {
        records.put(key, value, true);
      } catch (InvalidRecordException e) {
        out.completeExceptionally(new IllegalArgumentException("invalid record: " + e.getMessage(), e));
        return;
      }
      lookup(KadKey.ofKey(key), DhtMessage.request(Type.FIND_NODE, key), config.lookup(), (p, m) -> Verdict.CONTINUE, List.of()).whenComplete((l, e) -> {
        DhtMessage put = DhtMessage.putValue(new DhtRecord(key, value, ""));
        fanOut(l.result(), put, true, stored -> out.complete(new QueryResult(l.result(), Optional.of(value), List.of(), stored, l.hops(),
            l.queriesSent() + l.result().size(), scheduler.nowMillis() - started)));
      });
    });
    return out;
  }

  /** Announces us as a provider of {@code multihash} to the k closest peers (and stores it locally). */
  public CompletableFuture<QueryResult> provide(byte[] multihash) {
    CompletableFuture<QueryResult> out = new CompletableFuture<>();
    scheduler.execute(() -> {
      long started = scheduler.nowMillis();
      try {
        Multihash.decode(multihash);
      } catch (IllegalArgumentException e) {
        out.completeExceptionally(new IllegalArgumentException("provider keys are multihashes: " + e.getMessage(), e));
        return;
      }
      providers.add(multihash, self);
      lookup(KadKey.ofKey(multihash), DhtMessage.request(Type.FIND_NODE, multihash), config.lookup(), (p, m) -> Verdict.CONTINUE, List.of()).whenComplete((l, e) ->
          fanOut(l.result(), DhtMessage.addProvider(multihash, self), false, stored -> out.complete(new QueryResult(l.result(), Optional.empty(), List.of(), stored,
              l.hops(), l.queriesSent() + l.result().size(), scheduler.nowMillis() - started))));
    });
    return out;
  }

  /**
   * The best valid value for {@code key}: ours if we hold one, else from a GET_VALUE lookup that
   * stops after {@code quorum} valid values; peers that returned worse values, and the closest
   * peers that answered without one, get the best one (entry correction).
   *
   * @param disjoint use S/Kademlia disjoint paths ({@code config.lookup().disjointPaths()}, or 4 if that is 1)
   */
  public CompletableFuture<QueryResult> getValue(byte[] key, boolean disjoint) {
    CompletableFuture<QueryResult> out = new CompletableFuture<>();
    scheduler.execute(() -> {
      long started = scheduler.nowMillis();
      Optional<StoredRecord> local = records.get(key);
      if (local.isPresent() && config.quorum() <= 1) {
        out.complete(new QueryResult(List.of(), Optional.of(local.get().value()), List.of(), 0, 0, 0, 0));
        return;
      }
      Map<PeerId, byte[]> got = new LinkedHashMap<>();
      Map<PeerId, Integer> depth = new LinkedHashMap<>();
      Map<PeerId, PeerInfo> infos = new LinkedHashMap<>();
      local.ifPresent(r -> got.put(self.id(), r.value()));
      LookupConfig lc = disjoint ? disjointConfig() : config.lookup();
      Lookup[] lk = new Lookup[1];
      lookup(KadKey.ofKey(key), DhtMessage.request(Type.GET_VALUE, key), lc, (p, m) -> {
        if (m.record() == null) return Verdict.CONTINUE;
        if (!Arrays.equals(m.record().key(), key)) return Verdict.MISBEHAVED;
        try {
          validators.validate(key, m.record().value(), wall.epochMillis());
        } catch (InvalidRecordException e) {
          LOG.debug("invalid value from {}: {}", p.id(), e.getMessage());
          return Verdict.MISBEHAVED;
        }
        got.put(p.id(), m.record().value());
        infos.put(p.id(), p);
        depth.put(p.id(), lk[0].depthOf(p.id()));
        return got.size() >= config.quorum() ? Verdict.STOP : Verdict.CONTINUE;
      }, List.of(), l -> lk[0] = l).whenComplete((l, e) -> {
        if (got.isEmpty()) {
          out.complete(new QueryResult(l.result(), Optional.empty(), List.of(), 0, l.hops(), l.queriesSent(), scheduler.nowMillis() - started));
          return;
        }
        List<PeerId> who = new ArrayList<>(got.keySet());
        List<byte[]> values = new ArrayList<>(got.values());
        int best = validators.select(key, values);
        byte[] bestValue = values.get(best);
        List<PeerInfo> outdated = new ArrayList<>();
        for (int i = 0; i < who.size(); i++) {
          if (!Arrays.equals(values.get(i), bestValue)) {
            if (who.get(i).equals(self.id())) {
              try {
                records.put(key, bestValue, false);
              } catch (InvalidRecordException ignored) {
                // it validated a moment ago; an expiry in between just means we do not keep it
              }
            } else {
              outdated.add(infos.get(who.get(i)));
            }
          }
        }
        // Entry correction (spec "Value retrieval"): the closest peers that answered without any
        // record get the best one too, so a value held by few peers spreads back to where it belongs.
        for (PeerInfo p : l.result()) {
          if (!got.containsKey(p.id()) && !p.id().equals(self.id())) outdated.add(p);
        }
        if (!outdated.isEmpty()) fanOut(outdated, DhtMessage.putValue(new DhtRecord(key, bestValue, "")), true, n -> { });
        out.complete(new QueryResult(l.result(), Optional.of(bestValue), List.of(), 0, depth.getOrDefault(who.get(best), 0),
            l.queriesSent() + outdated.size(), scheduler.nowMillis() - started));
      });
    });
    return out;
  }

  /** Up to {@code count} providers of {@code multihash}: ours first, then from a GET_PROVIDERS lookup. */
  public CompletableFuture<QueryResult> findProviders(byte[] multihash, int count, boolean disjoint) {
    CompletableFuture<QueryResult> out = new CompletableFuture<>();
    scheduler.execute(() -> {
      long started = scheduler.nowMillis();
      Map<PeerId, PeerInfo> found = new LinkedHashMap<>();
      for (PeerInfo p : providers.get(multihash, count)) found.put(p.id(), p);
      if (found.size() >= count) {
        out.complete(new QueryResult(List.of(), Optional.empty(), List.copyOf(found.values()), 0, 0, 0, 0));
        return;
      }
      int[] hops = {-1};
      Lookup[] lk = new Lookup[1];
      lookup(KadKey.ofKey(multihash), DhtMessage.request(Type.GET_PROVIDERS, multihash), disjoint ? disjointConfig() : config.lookup(), (p, m) -> {
        for (PeerInfo prov : m.providerPeers()) {
          if (found.size() >= count) break;
          found.putIfAbsent(prov.id(), prov);
          if (hops[0] < 0) hops[0] = lk[0].depthOf(p.id());
        }
        return found.size() >= count ? Verdict.STOP : Verdict.CONTINUE;
      }, List.of(), l -> lk[0] = l).whenComplete((l, e) -> out.complete(new QueryResult(l.result(), Optional.empty(), List.copyOf(found.values()), 0,
          hops[0] < 0 ? (found.isEmpty() ? l.hops() : 0) : hops[0], l.queriesSent(), scheduler.nowMillis() - started)));
    });
    return out;
  }

  private LookupConfig disjointConfig() {
    LookupConfig lc = config.lookup();
    return lc.disjointPaths() > 1 ? lc : lc.withDisjointPaths(4);
  }

  // ---------------------------------------------------------------- lookup driver

  /** What a lookup makes of one reply. */
  enum Verdict {
    /** Use its closer peers and go on. */
    CONTINUE,
    /** Use it, and the operation has what it wanted: stop the lookup. */
    STOP,
    /** The reply was wrong (invalid record, wrong key): penalise, ignore its peers. */
    MISBEHAVED
  }

  @FunctionalInterface
  interface ReplySink {
    Verdict onReply(PeerInfo peer, DhtMessage reply);
  }

  private CompletableFuture<Lookup> lookup(KadKey target, DhtMessage request, LookupConfig lc, ReplySink sink, List<PeerInfo> extraSeeds) {
    return lookup(target, request, lc, sink, extraSeeds, l -> { });
  }

  /** Runs one lookup to completion; {@code created} sees the Lookup before any request goes out. */
  private CompletableFuture<Lookup> lookup(KadKey target, DhtMessage request, LookupConfig lc, ReplySink sink, List<PeerInfo> extraSeeds, Consumer<Lookup> created) {
    List<PeerInfo> seeds = new ArrayList<>(table.closest(target, lc.k() * lc.disjointPaths()));
    for (PeerInfo p : extraSeeds) if (!seeds.contains(p) && !p.id().equals(self.id())) seeds.add(p);
    long now = scheduler.nowMillis();
    Lookup lookup = lc.disjointPaths() > 1
        ? new DisjointLookup(target, lc, self.id(), seeds, p -> !scores.isBanned(p, scheduler.nowMillis()))
        : new ClosestPeersLookup(target, lc, self.id(), seeds, p -> !scores.isBanned(p, scheduler.nowMillis()));
    created.accept(lookup);
    CompletableFuture<Lookup> done = new CompletableFuture<>();
    new Driver(lookup, request, sink, done).pump();
    done.thenRun(() -> table.markRefreshed(table.bucketIndex(target), now));
    return done;
  }

  /** Feeds one lookup: sends what it asks for, tells it what came back, wakes it at deadlines. */
  private final class Driver {
    private final Lookup lookup;
    private final DhtMessage request;
    private final ReplySink sink;
    private final CompletableFuture<Lookup> done;
    private Cancellable wake;
    private long wakeAt = Long.MAX_VALUE;
    private boolean finished;

    Driver(Lookup lookup, DhtMessage request, ReplySink sink, CompletableFuture<Lookup> done) {
      this.lookup = lookup;
      this.request = request;
      this.sink = sink;
      this.done = done;
    }

    void pump() {
      if (finished) return;
      while (true) {
        LookupAction a = closed ? new LookupAction.Done() : lookup.next(scheduler.nowMillis());
        switch (a) {
          case LookupAction.Query q -> send(q.peer());
          case LookupAction.Wait w -> {
            if (w.untilMillis() != wakeAt) {
              if (wake != null) wake.cancel();
              wakeAt = w.untilMillis();
              wake = scheduler.schedule(w.untilMillis() - scheduler.nowMillis(), () -> {
                wakeAt = Long.MAX_VALUE;
                pump();
              });
            }
            return;
          }
          case LookupAction.Done d -> {
            finish();
            return;
          }
        }
      }
    }

    private void finish() {
      finished = true;
      if (wake != null) wake.cancel();
      done.complete(lookup);
    }

    private void send(PeerInfo peer) {
      call(peer, request, true, result -> onResult(peer, result));
    }

    private void onResult(PeerInfo peer, KadNetwork.Result result) {
      if (finished) return;
      long now = scheduler.nowMillis();
      switch (result) {
        case KadNetwork.Result.Reply r -> {
          DhtMessage m = r.message();
          Verdict v = m.type() != request.type() ? Verdict.MISBEHAVED : sink.onReply(peer, m);
          if (v == Verdict.MISBEHAVED) {
            penalise(peer.id(), PeerScores.Offence.WRONG_RESPONSE);
            lookup.onFailure(peer.id(), now);
          } else {
            considerPeer(peer);
            lookup.onSuccess(peer.id(), usable(m.closerPeers()), now);
            if (v == Verdict.STOP) {
              if (lookup instanceof ClosestPeersLookup c) c.finish();
              if (lookup instanceof DisjointLookup d) d.finish();
              finish();
              return;
            }
          }
        }
        case KadNetwork.Result.Malformed mal -> {
          penalise(peer.id(), PeerScores.Offence.MALFORMED_MESSAGE);
          lookup.onFailure(peer.id(), now);
        }
        case KadNetwork.Result.Failed f -> {
          table.recordFailure(peer.id());
          lookup.onFailure(peer.id(), now);
        }
        case KadNetwork.Result.TimedOut t -> {
          table.recordFailure(peer.id());
          lookup.onTimeout(peer.id(), now);
        }
        case KadNetwork.Result.Sent s -> lookup.onFailure(peer.id(), now);
      }
      pump();
    }
  }

  private List<PeerInfo> usable(List<PeerInfo> peers) {
    long now = scheduler.nowMillis();
    List<PeerInfo> out = new ArrayList<>(peers.size());
    for (PeerInfo p : peers) if (!p.id().equals(self.id()) && !scores.isBanned(p.id(), now)) out.add(p);
    return out;
  }

  /** One request with our own timeout; {@code onResult} runs exactly once, on the scheduler. */
  private void call(PeerInfo peer, DhtMessage request, boolean expectReply, Consumer<KadNetwork.Result> onResult) {
    boolean[] done = new boolean[1];
    messagesSent++;
    Cancellable timeout = scheduler.schedule(config.lookup().requestTimeoutMillis(), () -> {
      if (done[0]) return;
      done[0] = true;
      onResult.accept(new KadNetwork.Result.TimedOut());
    });
    network.request(peer, request, expectReply, r -> {
      if (done[0]) return;
      done[0] = true;
      timeout.cancel();
      onResult.accept(r);
    });
  }

  /** Sends {@code msg} to every peer; calls back with how many accepted it. */
  private void fanOut(List<PeerInfo> peers, DhtMessage msg, boolean expectReply, Consumer<Integer> onDone) {
    if (peers.isEmpty()) {
      onDone.accept(0);
      return;
    }
    int[] pending = {peers.size()};
    int[] ok = {0};
    for (PeerInfo p : peers) {
      call(p, msg, expectReply, r -> {
        switch (r) {
          case KadNetwork.Result.Reply reply -> {
            if (reply.message().type() == msg.type()) ok[0]++;
          }
          case KadNetwork.Result.Sent s -> ok[0]++;
          case KadNetwork.Result.Failed f -> table.recordFailure(p.id());
          case KadNetwork.Result.TimedOut t -> table.recordFailure(p.id());
          case KadNetwork.Result.Malformed m -> penalise(p.id(), PeerScores.Offence.MALFORMED_MESSAGE);
        }
        if (--pending[0] == 0) onDone.accept(ok[0]);
      });
    }
  }
}
