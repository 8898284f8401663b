package dev.weft.p2p.host;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the number of connections in bounds: refuses connections beyond the hard limits
 * ({@link #admit}) — or, when full, makes room by closing the longest-idle connection whose peer
 * never answered identify — closes connections idle for too long, and when more than the high
 * watermark are open, closes unprotected ones down to the low watermark: unidentified before
 * identified, then least recently active first.
 *
 * <p>The decisions ({@link #admit}, {@link #selectToClose}) are plain functions of the tracked
 * state and a time, so they are tested without I/O; {@link #start} runs them periodically on the
 * host's {@link Scheduler}. Thread-safe.
 */
public final class ConnectionManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);

  /** Why a connection is closed. */
  public enum Reason { IDLE, TRIMMED }

  /** A connection selected for closing, and why. */
  public record Closing(Connection connection, Reason reason) {}

  private static final class Tracked {
    final Connection connection;
    final long openedAt;
    volatile long lastActive;
    volatile boolean identified;

    Tracked(Connection connection, long now) {
      this.connection = connection;
      this.openedAt = now;
      this.lastActive = now;
    }
  }

  private final ConnectionManagerConfig config;
  private final Scheduler scheduler;
  private final Map<Long, Tracked> tracked = new ConcurrentHashMap<>();
  private final Set<PeerId> protectedPeers = ConcurrentHashMap.newKeySet();
  private volatile Cancellable timer;
  private volatile long shed;

  public ConnectionManager(ConnectionManagerConfig config, Scheduler scheduler) {
    this.config = config;
    this.scheduler = scheduler;
  }

  public ConnectionManagerConfig config() {
    return config;
  }

  /**
   * Whether one more connection to {@code peer} fits the hard limits; returns null if it does,
   * else the reason it does not (for the log and the failed dial). At the total limit, with
   * {@link ConnectionManagerConfig#shedUnidentifiedWhenFull}, the longest-idle unprotected
   * connection that never identified and has no stream open is closed to make room.
   */
  public synchronized String admit(PeerId peer) {
    int toPeer = 0;
    for (Tracked t : tracked.values()) if (t.connection.remotePeer().equals(peer)) toPeer++;
    if (toPeer >= config.maxConnectionsPerPeer()) {
      return "per-peer connection limit reached (" + config.maxConnectionsPerPeer() + ") for " + peer;
    }
    if (tracked.size() >= config.maxConnections()) {
      Tracked victim = config.shedUnidentifiedWhenFull() ? idleUnidentified() : null;
      if (victim == null) return "connection limit reached (" + config.maxConnections() + ")";
      LOG.debug("closing unidentified idle connection {} to {} to admit one to {}", victim.connection.id(), victim.connection.remotePeer(), peer);
      tracked.remove(victim.connection.id());
      shed++;
      victim.connection.close();
    }
    return null;
  }

  private Tracked idleUnidentified() {
    Tracked best = null;
    for (Tracked t : tracked.values()) {
      if (t.identified || protectedPeers.contains(t.connection.remotePeer()) || !t.connection.streams().isEmpty()) continue;
      if (best == null || t.lastActive < best.lastActive || (t.lastActive == best.lastActive && t.connection.id() < best.connection.id())) best = t;
    }
    return best;
  }

  /** {@code peer} answered identify: its connections are trimmed after unidentified ones. */
  public void identified(PeerId peer) {
    for (Tracked t : tracked.values()) if (t.connection.remotePeer().equals(peer)) t.identified = true;
  }

  /** Connections closed by {@link #admit} to make room (for metrics). */
  public long shedCount() {
    return shed;
  }

  public synchronized void added(Connection c) {
    tracked.put(c.id(), new Tracked(c, scheduler.nowMillis()));
  }

  public void removed(Connection c) {
    tracked.remove(c.id());
  }

  /** Records activity (a stream opened) on {@code c}: idle and trimming spare it for a while. */
  public void touched(Connection c) {
    Tracked t = tracked.get(c.id());
    if (t != null) t.lastActive = scheduler.nowMillis();
  }

  /** A protected peer's connections are never trimmed or closed for idleness. */
  public void protect(PeerId peer) {
    protectedPeers.add(peer);
  }

  public void unprotect(PeerId peer) {
    protectedPeers.remove(peer);
  }

  public boolean isProtected(PeerId peer) {
    return protectedPeers.contains(peer);
  }

  public int connectionCount() {
    return tracked.size();
  }

  /**
   * The connections to close at time {@code now}: idle ones first, then, if more than the high
   * watermark remain, unprotected connections past their grace period down to the low watermark:
   * those whose peer never identified first, then the least recently active (ties: oldest id). Connections with open streams count as active now.
   */
  public List<Closing> selectToClose(long now) {
    List<Closing> out = new ArrayList<>();
    List<Tracked> candidates = new ArrayList<>();
    for (Tracked t : tracked.values()) {
      if (!t.connection.streams().isEmpty()) t.lastActive = now;
      if (protectedPeers.contains(t.connection.remotePeer())) continue;
      if (config.idleTimeoutMillis() > 0 && now - t.lastActive >= config.idleTimeoutMillis()) {
        out.add(new Closing(t.connection, Reason.IDLE));
      } else if (now - t.openedAt >= config.gracePeriodMillis()) {
        candidates.add(t);
      }
    }
    int remaining = tracked.size() - out.size();
    if (remaining > config.highWater()) {
      candidates.sort(Comparator.<Tracked, Boolean>comparing(t -> t.identified).thenComparingLong(t -> t.lastActive)
          .thenComparingLong(t -> t.connection.id()));
      int excess = remaining - config.lowWater();
      for (int i = 0; i < excess && i < candidates.size(); i++) out.add(new Closing(candidates.get(i).connection, Reason.TRIMMED));
    }
    return out;
  }

  /** Starts the periodic idle / trimming check on the scheduler. */
  public void start() {
    timer = scheduler.scheduleAtFixedRate(config.checkIntervalMillis(), config.checkIntervalMillis(), this::check);
  }

  /** One idle / trimming pass; public so simulations and tests can force it. */
  public void check() {
    for (Closing c : selectToClose(scheduler.nowMillis())) {
      LOG.debug("closing connection {} to {}: {}", c.connection().id(), c.connection().remotePeer(), c.reason());
      tracked.remove(c.connection().id());
      c.connection().close();
    }
  }

  @Override public void close() {
    Cancellable t = timer;
    if (t != null) t.cancel();
  }
}
