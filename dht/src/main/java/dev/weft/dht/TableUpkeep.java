package dev.weft.dht;

import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.routing.RoutingTable;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.StoredPeer;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.time.Scheduler;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the routing table honest and alive: admits server peers that proved alive, checks a full
 * bucket's oldest resident by ping before it is displaced, bans misbehaving peers (and drops them),
 * picks the keys that refresh stale buckets, and saves the table to the store. The lookups that
 * refresh and bootstrap run elsewhere ({@link KadQueries}); this class only decides membership.
 *
 * <p>Not thread-safe: everything runs on the node's scheduler.
 */
final class TableUpkeep {
  private static final Logger LOG = LoggerFactory.getLogger(TableUpkeep.class);
  /** Random bytes in a refresh key; any length works, the receiver hashes it. */
  private static final int REFRESH_KEY_BYTES = 16;

  private final PeerInfo self;
  private final DhtConfig config;
  private final Scheduler scheduler;
  private final WallClock wall;
  private final Random random;
  private final KadNetwork network;
  private final DhtStore store;
  private final RoutingTable table;
  private final PeerScores scores;
  private final Set<PeerId> pendingPings = new HashSet<>();
  private Consumer<PeerId> banListener = p -> { };
  private long pingsSent;

  TableUpkeep(PeerInfo self, DhtConfig config, Scheduler scheduler, WallClock wall, Random random, KadNetwork network, DhtStore store, RoutingTable table,
      PeerScores scores) {
    this.self = self;
    this.config = config;
    this.scheduler = scheduler;
    this.wall = wall;
    this.random = random;
    this.network = network;
    this.store = store;
    this.table = table;
    this.scores = scores;
  }

  /** Puts the peers saved by {@link #persist} back into the table. */
  void restore() {
    for (StoredPeer p : store.peers()) table.add(PeerInfo.of(p.peer(), p.addrs()), scheduler.nowMillis());
  }

  long pingsSent() {
    return pingsSent;
  }

  /**
   * Whether {@code peer} is verified by contact and in good standing: it is in our routing table
   * (it answered us, or identified as a DHT server on a live connection) and has not misbehaved.
   */
  boolean trusted(PeerId peer) {
    return table.contains(peer) && scores.score(peer) >= 0;
  }

  /** A server peer proved alive: add it, or check the resident it would displace. */
  void consider(PeerInfo p) {
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
    pingsSent++;
    scheduler.schedule(config.lookup().requestTimeoutMillis(), () -> finish.accept(false));
    network.ping(resident, finish::accept);
  }

  void penalise(PeerId peer, PeerScores.Offence offence) {
    long now = scheduler.nowMillis();
    boolean newlyBanned = scores.penalise(peer, offence, now);
    if (newlyBanned || scores.isBanned(peer, now)) {
      if (newlyBanned) LOG.debug("banning {} after repeated misbehaviour", peer);
      table.remove(peer);
      banListener.accept(peer);
    }
  }

  void onBan(Consumer<PeerId> listener) {
    this.banListener = listener;
  }

  /** Buckets not refreshed within the refresh interval, each with a random key that falls in it. */
  List<byte[]> staleBucketKeys() {
    return table.staleBuckets(scheduler.nowMillis(), config.refreshIntervalMillis(), config.maxRefreshCpl()).stream().map(this::refreshKey).toList();
  }

  /** Marks every bucket as due for refresh (after a bootstrap). */
  void markAllStale() {
    long stale = scheduler.nowMillis() - config.refreshIntervalMillis();
    for (int cpl = 0; cpl <= config.maxRefreshCpl(); cpl++) table.markRefreshed(cpl, stale);
  }

  /** Random key bytes whose point shares exactly {@code cpl} leading bits with ours. */
  byte[] refreshKey(int cpl) {
    byte[] key = new byte[REFRESH_KEY_BYTES];
    while (true) {
      random.nextBytes(key);
      if (self.kadKey().commonPrefixLength(KadKey.ofKey(key)) == cpl) return key;
    }
  }

  /** Saves the table's residents (with their last-seen time on the wall clock) and forgets the rest. */
  void persist() {
    Set<PeerId> live = new HashSet<>();
    long wallNow = wall.epochMillis();
    long now = scheduler.nowMillis();
    for (RoutingTable.Entry e : table.entries()) {
      live.add(e.peer().id());
      store.putPeer(new StoredPeer(e.peer().id(), e.peer().addrs(), wallNow - (now - e.lastSeenMillis())));
    }
    for (StoredPeer p : store.peers()) if (!live.contains(p.peer())) store.deletePeer(p.peer());
  }
}
