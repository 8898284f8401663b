package dev.weft.dht;

import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.routing.RoutingTable;
import dev.weft.dht.store.DhtStore;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One Kademlia DHT node (specs/libp2p/kad-dht), assembled from parts with one job each: the
 * {@link RequestHandler} answers other peers within {@link DhtLimits}, the {@link TableUpkeep}
 * decides who is in the routing table, the {@link QueryDriver} runs lookups, and
 * {@link KadQueries} composes them into operations with typed {@link QueryResult}s. This class
 * owns their lifecycle (timers, persistence on close) and is the public entry point. It does no
 * I/O of its own: requests leave through a {@link KadNetwork}, time comes from a
 * {@link Scheduler}, so the same code runs on a libp2p host and in a 500-node simulation.
 *
 * <p>Threading: all state is confined to {@code scheduler}. Public operations may be called from
 * any thread (they hop onto the scheduler); their futures complete on the scheduler thread.
 * {@link #handleRequest}, {@link #offerPeer} and {@link #onMalformedRequest} must be called on the
 * scheduler thread.
 */
public final class KadNode implements AutoCloseable {
  /** How often expired records and provider records are swept out. */
  static final long SWEEP_INTERVAL_MILLIS = DhtConfig.HOUR;

  private final PeerInfo self;
  private final DhtConfig config;
  private final Scheduler scheduler;
  private final DhtStore store;
  private final RoutingTable table;
  private final PeerScores scores = new PeerScores();
  private final RecordBook records;
  private final ProviderBook providers;
  private final TableUpkeep upkeep;
  private final QueryDriver driver;
  private final KadQueries queries;
  private final RequestHandler handler;
  private final List<Cancellable> timers = new ArrayList<>();
  private boolean closed;

  /**
   * @param self our id and the addresses we announce
   * @param random seeded in simulations; used for refresh keys only
   */
  private volatile DhtMode mode;
  private volatile java.util.function.Supplier<List<byte[]>> addresses;

  public KadNode(PeerInfo self, DhtConfig config, Scheduler scheduler, WallClock wall, Random random, KadNetwork network, DhtStore store, ValidatorRegistry validators) {
    this.self = self;
    this.config = config;
    this.mode = config.mode();
    this.scheduler = scheduler;
    this.store = store;
    this.table = new RoutingTable(self.kadKey(), config.lookup().k(), scheduler.nowMillis());
    this.upkeep = new TableUpkeep(self, config, scheduler, wall, random, network, store, table, scores);
    this.records = new RecordBook(store, validators, wall, config, upkeep::trusted);
    this.providers = new ProviderBook(store, wall, config, self.id(), upkeep::trusted);
    this.driver = new QueryDriver(self, config, scheduler, network, table, scores, upkeep, () -> closed);
    this.queries = new KadQueries(self, this::announced, config, scheduler, wall, driver, upkeep, table, records, providers, validators, store, () -> closed);
    this.handler = new RequestHandler(self, this::announced, config, scheduler, table, scores, records, providers, upkeep);
    upkeep.restore();
  }

  public PeerInfo self() {
    return self;
  }

  /**
   * What we announce as our addresses from now on (in provider records, and in answers to a lookup of our own id), asked at each announcement
   * (an empty answer falls back to the addresses given at construction): a host's advertised
   * addresses change as NAT traversal confirms a public one or reserves a relay slot, and a
   * private node's provider record is useless with only its LAN address in it.
   */
  public void announceAddresses(java.util.function.Supplier<List<byte[]>> addresses) {
    this.addresses = addresses;
  }

  /** Ourselves with the addresses we announce now. */
  PeerInfo announced() {
    java.util.function.Supplier<List<byte[]>> a = addresses;
    List<byte[]> now = a == null ? List.of() : a.get();
    return now.isEmpty() ? self : PeerInfo.of(self.id(), now);
  }

  public PeerId peerId() {
    return self.id();
  }

  public DhtConfig config() {
    return config;
  }

  public boolean isServer() {
    return mode == DhtMode.SERVER;
  }

  /** The mode now: {@code config.mode()} at start, then whatever {@link #setMode} last said. */
  public DhtMode mode() {
    return mode;
  }

  /**
   * Switches between answering queries and only asking them (kad-dht, "client and server mode"):
   * a node others cannot dial (behind a NAT, as AutoNAT says) should not be in their routing
   * tables, where it would only time their lookups out. The host adapter changes what it
   * advertises; here, requests stop (or start) being answered.
   */
  public void setMode(DhtMode m) {
    mode = java.util.Objects.requireNonNull(m);
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
    return driver.messagesSent() + upkeep.pingsSent();
  }

  public long requestsServed() {
    return handler.served();
  }

  /** Requests dropped because their sender was over its request rate. */
  public long requestsOverRate() {
    return handler.rateLimiter().refused();
  }

  /** Starts periodic bucket refresh, republishing and expiry sweeps. Call on the scheduler. */
  public void start() {
    timers.add(scheduler.scheduleAtFixedRate(config.refreshIntervalMillis(), config.refreshIntervalMillis(), queries::refresh));
    timers.add(scheduler.scheduleAtFixedRate(config.republishIntervalMillis(), config.republishIntervalMillis(), queries::republish));
    timers.add(scheduler.scheduleAtFixedRate(SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS, this::sweep));
    timers.add(scheduler.scheduleAtFixedRate(KadQueries.LOW_PEERS_CHECK_MILLIS, KadQueries.LOW_PEERS_CHECK_MILLIS, queries::fixLowPeers));
  }

  /** Stops timers and saves the routing table; the store stays open (its owner closes it). */
  @Override public void close() {
    if (closed) return;
    closed = true;
    timers.forEach(Cancellable::cancel);
    timers.clear();
    upkeep.persist();
  }

  private void sweep() {
    records.sweep();
    providers.sweep();
  }

  // ---------------------------------------------------------------- inbound

  /**
   * Answers one request from {@code from}. Returns the response, or empty when none is due
   * (ADD_PROVIDER), when we are a client, when the sender is over its request rate, or when the
   * request was invalid (the adapter then resets the stream). Runs on the scheduler thread.
   *
   * @param fromIsServer whether the sender advertises the DHT protocol (identify, or the
   *     simulation's knowledge): only servers enter the routing table
   */
  public Optional<DhtMessage> handleRequest(PeerInfo from, boolean fromIsServer, DhtMessage req) {
    if (closed || !isServer()) return Optional.empty();
    return handler.handle(from, fromIsServer, req);
  }

  /** The adapter could not decode a request from {@code peer}: it misbehaved. */
  public void onMalformedRequest(PeerId peer, String reason) {
    handler.onMalformed(peer, reason);
  }

  /**
   * A peer identified itself as a DHT server (identify on a live connection): offer it to the
   * routing table. Runs on the scheduler thread.
   */
  public void offerPeer(PeerInfo p) {
    if (!closed) upkeep.consider(p);
  }

  /** {@code peer} stopped speaking the DHT protocol (it went client mode): out of the routing table. */
  public void forgetPeer(PeerId peer) {
    if (!closed) table.remove(peer);
  }

  /** Called (on the scheduler thread) when a banned peer misbehaves (again); the host adapter disconnects it. */
  public void onBan(Consumer<PeerId> listener) {
    upkeep.onBan(listener);
  }

  /** Looks up a random key in every stale bucket, and ourselves. Runs on the scheduler. */
  public void refresh() {
    queries.refresh();
  }

  /** Random key bytes whose point shares exactly {@code cpl} leading bits with ours. */
  byte[] refreshKey(int cpl) {
    return upkeep.refreshKey(cpl);
  }

  // ---------------------------------------------------------------- operations

  private <T> CompletableFuture<T> onScheduler(Consumer<CompletableFuture<T>> op) {
    CompletableFuture<T> out = new CompletableFuture<>();
    scheduler.execute(() -> op.accept(out));
    return out;
  }

  /**
   * Joins the network through {@code seeds}: a lookup of our own id starting from them, then a
   * refresh of every bucket. Completes with the self-lookup's result.
   */
  public CompletableFuture<QueryResult.ClosestPeers> bootstrap(List<PeerInfo> seeds) {
    return onScheduler(out -> queries.bootstrap(seeds, out));
  }

  /** The k closest peers to {@code key} that answered. */
  public CompletableFuture<QueryResult.ClosestPeers> findClosestPeers(byte[] key) {
    return onScheduler(out -> queries.findClosestPeers(key, out));
  }

  /** Finds {@code target}'s addresses: stops as soon as some peer names it (or it answers). */
  public CompletableFuture<QueryResult.PeerFound> findPeer(PeerId target) {
    return onScheduler(out -> queries.findPeer(target, out));
  }

  /** Validates and stores {@code value} as our own, then PUT_VALUEs it to the k closest peers. */
  public CompletableFuture<QueryResult.Stored> putValue(byte[] key, byte[] value) {
    return onScheduler(out -> queries.putValue(key, value, out));
  }

  /** Announces us as a provider of {@code multihash} to the k closest peers (and stores it locally). */
  public CompletableFuture<QueryResult.Stored> provide(byte[] multihash) {
    return onScheduler(out -> queries.provide(multihash, out));
  }

  /**
   * The best valid value for {@code key}: ours if we hold one, else from a GET_VALUE lookup that
   * stops after {@code quorum} valid values; outdated peers get the best one (entry correction).
   *
   * @param disjoint use S/Kademlia disjoint paths ({@code config.lookup().disjointPaths()}, or 4 if that is 1)
   */
  public CompletableFuture<QueryResult.Value> getValue(byte[] key, boolean disjoint) {
    return onScheduler(out -> queries.getValue(key, disjoint, out));
  }

  /** Up to {@code count} providers of {@code multihash}: ours first, then from a GET_PROVIDERS lookup. */
  public CompletableFuture<QueryResult.Providers> findProviders(byte[] multihash, int count, boolean disjoint) {
    return onScheduler(out -> queries.findProviders(multihash, count, disjoint, out));
  }
}
