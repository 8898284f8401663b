package dev.weft.dht;

import dev.weft.dht.QueryDriver.Verdict;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.codec.DhtMessage.DhtRecord;
import dev.weft.dht.codec.DhtMessage.Type;
import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.lookup.Lookup;
import dev.weft.dht.lookup.LookupConfig;
import dev.weft.dht.record.InvalidRecordException;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.routing.RoutingTable;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.StoredRecord;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multihash;
import dev.weft.p2p.time.Scheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT's operations, each a composition of lookups and fan-outs on the {@link QueryDriver}
 * with its own {@link QueryResult} type: bootstrap, closest peers, find peer, put, provide, get,
 * find providers, and the periodic refresh and republish. Must be called on the scheduler; the
 * public entry points on {@link KadNode} hop onto it.
 */
final class KadQueries {
  private static final Logger LOG = LoggerFactory.getLogger(KadQueries.class);
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
  /** Ourselves with the addresses we announce now (a private node's relay addresses appear after it starts). */
  private final java.util.function.Supplier<PeerInfo> announced;
  private final DhtConfig config;
  private final Scheduler scheduler;
  private final WallClock wall;
  private final QueryDriver driver;
  private final TableUpkeep upkeep;
  private final RoutingTable table;
  private final RecordBook records;
  private final ProviderBook providers;
  private final ValidatorRegistry validators;
  private final DhtStore store;
  private final BooleanSupplier closed;
  private List<PeerInfo> bootstrapSeeds = List.of();

  KadQueries(PeerInfo self, java.util.function.Supplier<PeerInfo> announced, DhtConfig config, Scheduler scheduler, WallClock wall, QueryDriver driver, TableUpkeep upkeep, RoutingTable table,
      RecordBook records, ProviderBook providers, ValidatorRegistry validators, DhtStore store, BooleanSupplier closed) {
    this.self = self;
    this.announced = announced;
    this.config = config;
    this.scheduler = scheduler;
    this.wall = wall;
    this.driver = driver;
    this.upkeep = upkeep;
    this.table = table;
    this.records = records;
    this.providers = providers;
    this.validators = validators;
    this.store = store;
    this.closed = closed;
  }

  private long since(long started) {
    return scheduler.nowMillis() - started;
  }

  private CompletableFuture<Lookup> findNode(byte[] key, List<PeerInfo> extraSeeds) {
    return driver.lookup(KadKey.ofKey(key), DhtMessage.request(Type.FIND_NODE, key), config.lookup(), QueryDriver.ReplySink.IGNORE, extraSeeds);
  }

  private CompletableFuture<Lookup> selfLookup(List<PeerInfo> extraSeeds) {
    return driver.lookup(self.kadKey(), DhtMessage.request(Type.FIND_NODE, self.id().bytes()), config.lookup(), QueryDriver.ReplySink.IGNORE, extraSeeds);
  }

  // ---------------------------------------------------------------- upkeep lookups

  /** Looks up a random key in every stale bucket, and ourselves; saves the table. */
  void refresh() {
    if (closed.getAsBoolean()) return;
    List<PeerInfo> seeds = table.size() == 0 ? bootstrapSeeds : List.of();
    for (byte[] key : upkeep.staleBucketKeys()) findNode(key, List.of());
    selfLookup(seeds);
    upkeep.persist();
  }

  void fixLowPeers() {
    if (closed.getAsBoolean() || table.size() >= LOW_PEERS_THRESHOLD || (table.size() == 0 && bootstrapSeeds.isEmpty())) return;
    selfLookup(bootstrapSeeds);
  }

  void republish() {
    if (closed.getAsBoolean()) return;
    for (byte[][] kv : records.ownRecords()) putValue(kv[0], kv[1], new CompletableFuture<>());
    List<byte[]> own = new ArrayList<>();
    store.forEachProvider((k, p) -> {
      if (p.provider().equals(self.id())) own.add(k);
    });
    for (byte[] k : own) provide(k, new CompletableFuture<>());
  }

  // ---------------------------------------------------------------- operations

  void bootstrap(List<PeerInfo> seeds, CompletableFuture<QueryResult.ClosestPeers> out) {
    bootstrapSeeds = List.copyOf(seeds);
    bootstrapAttempt(scheduler.nowMillis(), 1, out);
  }

  private void bootstrapAttempt(long started, int attempt, CompletableFuture<QueryResult.ClosestPeers> out) {
    selfLookup(bootstrapSeeds).whenComplete((l, e) -> {
      if (table.size() == 0 && attempt < MAX_BOOTSTRAP_ATTEMPTS && !closed.getAsBoolean()) {
        // every seed failed to answer (lost, busy, restarting): try again rather than stay alone
        scheduler.schedule(BOOTSTRAP_RETRY_MILLIS * attempt, () -> bootstrapAttempt(started, attempt + 1, out));
        return;
      }
      upkeep.markAllStale();
      refresh();
      out.complete(new QueryResult.ClosestPeers(l.result(), l.hops(), l.queriesSent(), since(started)));
    });
  }

  void findClosestPeers(byte[] key, CompletableFuture<QueryResult.ClosestPeers> out) {
    long started = scheduler.nowMillis();
    findNode(key, List.of()).whenComplete((l, e) -> out.complete(new QueryResult.ClosestPeers(l.result(), l.hops(), l.queriesSent(), since(started))));
  }

  void findPeer(PeerId target, CompletableFuture<QueryResult.PeerFound> out) {
    long started = scheduler.nowMillis();
    RoutingTable.Entry local = table.find(target);
    if (local != null) {
      out.complete(new QueryResult.PeerFound(Optional.of(local.peer()), 0, 0, 0));
      return;
    }
    PeerInfo[] found = new PeerInfo[1];
    int[] hops = new int[1];
    Lookup[] lk = new Lookup[1];
    driver.lookup(KadKey.ofPeer(target), DhtMessage.request(Type.FIND_NODE, target.bytes()), config.lookup(), (p, m) -> {
      if (p.id().equals(target)) found[0] = p;
      for (PeerInfo c : m.closerPeers()) if (c.id().equals(target) && !c.addrs().isEmpty()) found[0] = c;
      if (found[0] == null) return Verdict.CONTINUE;
      hops[0] = lk[0].depthOf(p.id());
      return Verdict.STOP;
    }, List.of(), l -> lk[0] = l).whenComplete((l, e) -> out.complete(new QueryResult.PeerFound(Optional.ofNullable(found[0]),
        found[0] == null ? l.hops() : hops[0], l.queriesSent(), since(started))));
  }

  void putValue(byte[] key, byte[] value, CompletableFuture<QueryResult.Stored> out) {
    long started = scheduler.nowMillis();
    try {
      records.putOwn(key, value);
    } catch (InvalidRecordException e) {
      out.completeExceptionally(new IllegalArgumentException("invalid record: " + e.getMessage(), e));
      return;
    }
    findNode(key, List.of()).whenComplete((l, e) -> {
      DhtMessage put = DhtMessage.putValue(new DhtRecord(key, value, ""));
      driver.fanOut(l.result(), put, true, stored -> out.complete(new QueryResult.Stored(l.result(), stored, l.hops(),
          l.queriesSent() + l.result().size(), since(started))));
    });
  }

  void provide(byte[] multihash, CompletableFuture<QueryResult.Stored> out) {
    long started = scheduler.nowMillis();
    try {
      Multihash.decode(multihash);
    } catch (IllegalArgumentException e) {
      out.completeExceptionally(new IllegalArgumentException("provider keys are multihashes: " + e.getMessage(), e));
      return;
    }
    PeerInfo me = announced.get();
    providers.add(multihash, me);
    findNode(multihash, List.of()).whenComplete((l, e) ->
        driver.fanOut(l.result(), DhtMessage.addProvider(multihash, me), false, stored -> out.complete(new QueryResult.Stored(l.result(), stored,
            l.hops(), l.queriesSent() + l.result().size(), since(started)))));
  }

  /**
   * The best valid value for {@code key}: ours if we hold one, else from a GET_VALUE lookup that
   * stops after {@code quorum} valid values; peers that returned worse values, and the closest
   * peers that answered without one, get the best one (entry correction).
   */
  void getValue(byte[] key, boolean disjoint, CompletableFuture<QueryResult.Value> out) {
    long started = scheduler.nowMillis();
    Optional<StoredRecord> local = records.get(key);
    if (local.isPresent() && config.quorum() <= 1) {
      out.complete(new QueryResult.Value(Optional.of(local.get().value()), List.of(), 0, 0, 0));
      return;
    }
    Map<PeerId, byte[]> got = new LinkedHashMap<>();
    Map<PeerId, Integer> depth = new LinkedHashMap<>();
    Map<PeerId, PeerInfo> infos = new LinkedHashMap<>();
    local.ifPresent(r -> got.put(self.id(), r.value()));
    Lookup[] lk = new Lookup[1];
    driver.lookup(KadKey.ofKey(key), DhtMessage.request(Type.GET_VALUE, key), lookupConfig(disjoint), (p, m) -> {
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
        out.complete(new QueryResult.Value(Optional.empty(), l.result(), l.hops(), l.queriesSent(), since(started)));
        return;
      }
      List<PeerId> who = new ArrayList<>(got.keySet());
      List<byte[]> values = new ArrayList<>(got.values());
      int best = validators.select(key, values);
      byte[] bestValue = values.get(best);
      List<PeerInfo> outdated = new ArrayList<>();
      for (int i = 0; i < who.size(); i++) {
        if (Arrays.equals(values.get(i), bestValue)) continue;
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
      // Entry correction (spec "Value retrieval"): the closest peers that answered without any
      // record get the best one too, so a value held by few peers spreads back to where it belongs.
      for (PeerInfo p : l.result()) {
        if (!got.containsKey(p.id()) && !p.id().equals(self.id())) outdated.add(p);
      }
      if (!outdated.isEmpty()) driver.fanOut(outdated, DhtMessage.putValue(new DhtRecord(key, bestValue, "")), true, n -> { });
      out.complete(new QueryResult.Value(Optional.of(bestValue), l.result(), depth.getOrDefault(who.get(best), 0), l.queriesSent() + outdated.size(),
          since(started)));
    });
  }

  /** Up to {@code count} providers of {@code multihash}: ours first, then from a GET_PROVIDERS lookup. */
  void findProviders(byte[] multihash, int count, boolean disjoint, CompletableFuture<QueryResult.Providers> out) {
    long started = scheduler.nowMillis();
    Map<PeerId, PeerInfo> found = new LinkedHashMap<>();
    for (PeerInfo p : providers.get(multihash, count)) found.put(p.id(), p);
    if (found.size() >= count) {
      out.complete(new QueryResult.Providers(List.copyOf(found.values()), List.of(), 0, 0, 0));
      return;
    }
    int[] hops = {-1};
    Lookup[] lk = new Lookup[1];
    driver.lookup(KadKey.ofKey(multihash), DhtMessage.request(Type.GET_PROVIDERS, multihash), lookupConfig(disjoint), (p, m) -> {
      for (PeerInfo prov : m.providerPeers()) {
        if (found.size() >= count) break;
        found.putIfAbsent(prov.id(), prov);
        if (hops[0] < 0) hops[0] = lk[0].depthOf(p.id());
      }
      return found.size() >= count ? Verdict.STOP : Verdict.CONTINUE;
    }, List.of(), l -> lk[0] = l).whenComplete((l, e) -> out.complete(new QueryResult.Providers(List.copyOf(found.values()), l.result(),
        hops[0] < 0 ? (found.isEmpty() ? l.hops() : 0) : hops[0], l.queriesSent(), since(started))));
  }

  /** Plain lookups use the configured paths; disjoint ones at least 4 (S/Kademlia). */
  private LookupConfig lookupConfig(boolean disjoint) {
    LookupConfig lc = config.lookup();
    if (!disjoint) return lc;
    return lc.disjointPaths() > 1 ? lc : lc.withDisjointPaths(4);
  }
}
