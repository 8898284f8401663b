package dev.weft.p2p.resource;

import dev.weft.p2p.api.PeerId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Accounts for everything a remote party can make the host hold — connections (by source address,
 * subnet and peer), handshake slots, inbound streams (by connection, protocol and peer) and
 * buffered bytes (by peer, protocol and host-wide) — against one {@link ResourceLimits}. The
 * connections we dial count against the same total and per-peer limits ({@link #reserveOutbound}).
 *
 * <p>It decides, the Netty adapters act: {@link #admitInbound} says whether an accepted socket may
 * start its handshake and which older connections to close for it; {@link #overdue} whether a
 * handshaking connection has used up its deadline, which shrinks while pending slots are scarce.
 * Reservations are {@link ConnectionScope}s and {@link StreamScope}s whose {@code close()} releases
 * them (idempotent; call it in {@code finally}). No I/O, injected clock; thread-safe (one lock:
 * every operation is a few map updates).
 *
 * <p>Shedding when full: a connection slot goes to the newcomer at the expense of the oldest
 * upgraded connection that never identified itself and has no stream open; a pending slot (or a
 * connection slot, failing that) at the expense of the oldest handshaking connection of the subnet
 * holding the most pending slots, provided that subnet holds at least two more than the
 * newcomer's own. A source can therefore fill at most its
 * share, and what it holds beyond the others' is what goes first.
 */
public final class ResourceManager {
  /** The decision on an accepted socket. */
  public sealed interface Admission {
    /** Start the handshake under {@code scope}; close the connections of {@code shed} first (already released). */
    record Admitted(ConnectionScope scope, List<ConnectionScope> shed) implements Admission {}

    /** Close the socket at once. */
    record Refused(String reason) implements Admission {}
  }

  private static final class Counts {
    int pending;
    int all;
  }

  private final ResourceLimits limits;
  private final LongSupplier clockMillis;

  private final LinkedHashSet<ConnectionScope> pending = new LinkedHashSet<>();
  /** Outbound connections reserved before their dial, not yet upgraded. */
  private final LinkedHashSet<ConnectionScope> dialling = new LinkedHashSet<>();
  private final LinkedHashSet<ConnectionScope> upgraded = new LinkedHashSet<>();
  private final Map<InetAddress, Counts> byIp = new HashMap<>();
  private final Map<Subnet, Counts> bySubnet = new HashMap<>();
  private final Map<PeerId, Integer> connectionsByPeer = new HashMap<>();
  private final Map<Long, Integer> streamsByConnection = new HashMap<>();
  private final Map<String, Integer> streamsByProtocol = new HashMap<>();
  private final Map<PeerId, Integer> streamsByPeer = new HashMap<>();
  private final Map<PeerId, Long> bufferedByPeer = new HashMap<>();
  private final Map<String, Long> bufferedByProtocol = new HashMap<>();
  private int streams;
  private long bufferedTotal;
  private long sequence;
  private long refusedConnections;
  private long shedConnections;
  private long handshakeTimeouts;
  private long refusedStreams;
  private long refusedBufferBytes;
  private long refusedDials;

  public ResourceManager(ResourceLimits limits, LongSupplier clockMillis) {
    if (limits == null || clockMillis == null) throw new IllegalArgumentException("limits and clock required");
    this.limits = limits;
    this.clockMillis = clockMillis;
  }

  /** On the system's monotonic clock (deadlines must not jump with the wall clock). */
  public static ResourceManager withSystemClock(ResourceLimits limits) {
    return new ResourceManager(limits, () -> dev.weft.p2p.time.NanoClock.SYSTEM.nowNanos() / 1_000_000L);
  }

  public ResourceLimits limits() {
    return limits;
  }

  public long nowMillis() {
    return clockMillis.getAsLong();
  }

  // ---- connections ----

  /** An inbound socket from {@code source} was accepted: may it start its handshake? */
  public synchronized Admission admitInbound(InetAddress source) {
    InetAddress ip = Subnet.canonical(source);
    Subnet net = Subnet.of(ip);
    Counts ipc = byIp.get(ip);
    Counts netc = bySubnet.get(net);
    int ipPending = ipc == null ? 0 : ipc.pending;
    int netPending = netc == null ? 0 : netc.pending;
    // An allowlisted source (a loopback testnet) takes no per-source share; every other limit holds.
    boolean shared = !limits.allowlisted(ip);
    if (shared && ipPending >= limits.maxPendingPerIp()) return refuse("pending handshakes from " + ip.getHostAddress() + " at its share (" + limits.maxPendingPerIp() + ")" + loopbackHint(ip));
    if (shared && netPending >= limits.maxPendingPerSubnet()) return refuse("pending handshakes from " + net + " at its share (" + limits.maxPendingPerSubnet() + ")");
    if (shared && ipc != null && ipc.all >= limits.maxConnectionsPerIp()) return refuse("connections from " + ip.getHostAddress() + " at the limit (" + limits.maxConnectionsPerIp() + ")" + loopbackHint(ip));
    if (shared && netc != null && netc.all >= limits.maxConnectionsPerSubnet()) return refuse("connections from " + net + " at the limit (" + limits.maxConnectionsPerSubnet() + ")");
    List<ConnectionScope> shed = new ArrayList<>(1);
    boolean pendingFull = pending.size() >= limits.maxPendingInbound();
    boolean totalFull = connectionsHeld() >= limits.maxConnections();
    if (pendingFull || totalFull) {
      String full = pendingFull ? "pending handshakes at the limit (" + limits.maxPendingInbound() + ")"
          : "connections at the limit (" + limits.maxConnections() + ")";
      if (!limits.shedWhenFull()) return refuse(full);
      // A shed handshaking connection frees a pending slot and a connection slot; an upgraded one only the latter.
      ConnectionScope victim = pendingFull ? null : idleUnidentifiedVictim();
      if (victim == null) victim = pendingVictim(netPending);
      if (victim == null) return refuse(full);
      shedConnections++;
      releaseLocked(victim);
      shed.add(victim);
    }
    ConnectionScope s = new ConnectionScope(this, ip, clockMillis.getAsLong(), sequence++);
    pending.add(s);
    Counts a = byIp.computeIfAbsent(ip, x -> new Counts());
    Counts b = bySubnet.computeIfAbsent(net, x -> new Counts());
    a.pending++;
    a.all++;
    b.pending++;
    b.all++;
    return new Admission.Admitted(s, List.copyOf(shed));
  }

  private static String loopbackHint(InetAddress ip) {
    return ip.isLoopbackAddress() ? "; a loopback testnet can exempt 127.0.0.0/8 and ::1/128 (ResourceLimits.allowlist)" : "";
  }

  private int connectionsHeld() {
    return pending.size() + dialling.size() + upgraded.size();
  }

  /**
   * Reserves a connection slot for a dial we are about to make, against the same total as inbound
   * connections, so that what we dial and what strangers open together stay within
   * {@link ResourceLimits#maxConnections}. Call before dialling; {@link ConnectionScope#upgraded}
   * once the connection is secured (which also applies the per-peer limit); {@link
   * ConnectionScope#close()} in a {@code finally} when the dial fails and when the connection
   * closes. Outbound connections take no per-source share and are never shed for a newcomer. Not
   * shedding to make room either: a dial over the limit is the caller's to retry or give up.
   *
   * @param target what is being dialled, for the refusal's message
   */
  public synchronized ConnectionScope reserveOutbound(Object target) throws LimitExceededException {
    if (connectionsHeld() >= limits.maxConnections()) {
      refusedDials++;
      throw new LimitExceededException("outbound dial to " + target + " refused: connections at the limit ("
          + limits.maxConnections() + ", of which " + (dialling.size() + outboundUpgraded()) + " ours)");
    }
    ConnectionScope s = new ConnectionScope(this, null, clockMillis.getAsLong(), sequence++);
    dialling.add(s);
    return s;
  }

  /**
   * Admits an inbound connection that arrived inside a relayed stream (circuit relay v2's stop
   * side), already authenticated as {@code peer}: it takes a connection slot against the same
   * total as every other connection and counts against {@code peer}'s share, so a relay cannot
   * bring in more connections than the host would accept directly. There is no source share: the
   * socket is the relay's, and the relay's own connection already holds one. Refused, not shed
   * for, when full: a relayed newcomer is the cheapest to turn away (its dialer can retry or go
   * direct). {@link ConnectionScope#close()} when the connection closes.
   */
  public synchronized ConnectionScope admitRelayed(PeerId peer, long connectionId) throws LimitExceededException {
    if (connectionsHeld() >= limits.maxConnections()) {
      refusedConnections++;
      throw new LimitExceededException("relayed connection from " + peer + " refused: connections at the limit (" + limits.maxConnections() + ")");
    }
    int n = connectionsByPeer.getOrDefault(peer, 0);
    if (n >= limits.maxConnectionsPerPeer()) {
      refusedConnections++;
      throw new LimitExceededException("relayed connection from " + peer + " refused: connections of " + peer + " at the limit (" + limits.maxConnectionsPerPeer() + ")");
    }
    ConnectionScope s = new ConnectionScope(this, null, clockMillis.getAsLong(), sequence++, true);
    s.pending = false;
    s.peer = peer;
    s.connectionId = connectionId;
    upgraded.add(s);
    connectionsByPeer.put(peer, n + 1);
    return s;
  }

  private int outboundUpgraded() {
    int n = 0;
    for (ConnectionScope s : upgraded) if (s.outbound) n++;
    return n;
  }

  /** Dials refused by {@link #reserveOutbound} since the start. */
  public synchronized long refusedDials() {
    return refusedDials;
  }

  private Admission refuse(String reason) {
    refusedConnections++;
    return new Admission.Refused(reason);
  }

  /**
   * The oldest pending connection of the subnet with the most pending slots, if it holds at least
   * two more than the newcomer's subnet: shedding then moves the shares closer together, where
   * swapping between equal holders would only let newcomers kill each other.
   */
  private ConnectionScope pendingVictim(int newcomerSubnetPending) {
    Subnet biggest = null;
    int most = newcomerSubnetPending + 1;
    for (Map.Entry<Subnet, Counts> e : bySubnet.entrySet()) {
      if (e.getValue().pending > most) {
        most = e.getValue().pending;
        biggest = e.getKey();
      }
    }
    if (biggest == null) return null;
    for (ConnectionScope s : pending) if (s.subnet.equals(biggest)) return s;
    return null;
  }

  /** The oldest upgraded connection that never identified itself and has no stream open. */
  private ConnectionScope idleUnidentifiedVictim() {
    for (ConnectionScope s : upgraded) {
      if (!s.outbound && !s.identified && !streamsByConnection.containsKey(s.connectionId)) return s;
    }
    return null;
  }

  synchronized void upgraded(ConnectionScope s, PeerId peer, long connectionId) throws LimitExceededException {
    if (s.released) {
      throw new LimitExceededException(s.outbound ? "outbound connection to " + peer + " was released during its handshake"
          : "connection from " + s.source.getHostAddress() + " was shed during its handshake");
    }
    if (!s.pending) throw new IllegalStateException("connection already upgraded");
    s.pending = false;
    if (s.outbound) {
      dialling.remove(s);
    } else {
      pending.remove(s);
      byIp.get(s.source).pending--;
      bySubnet.get(s.subnet).pending--;
    }
    upgraded.add(s);
    s.connectionId = connectionId;
    int n = connectionsByPeer.getOrDefault(peer, 0);
    if (n >= limits.maxConnectionsPerPeer()) {
      refusedConnections++;
      throw new LimitExceededException("connections of " + peer + " at the limit (" + limits.maxConnectionsPerPeer() + ")");
    }
    s.peer = peer;
    connectionsByPeer.put(peer, n + 1);
  }

  /** {@code peer} answered identify: its connections are no longer first to be shed. */
  public synchronized void identified(PeerId peer) {
    for (ConnectionScope s : upgraded) if (peer.equals(s.peer)) s.identified = true;
  }

  synchronized void release(ConnectionScope s) {
    releaseLocked(s);
  }

  private void releaseLocked(ConnectionScope s) {
    if (s.released) return;
    s.released = true;
    if (s.source == null) {
      if (s.pending) {
        dialling.remove(s);
      } else {
        upgraded.remove(s);
        if (s.peer != null) decrement(connectionsByPeer, s.peer);
      }
      return;
    }
    Counts ipc = byIp.get(s.source);
    Counts netc = bySubnet.get(s.subnet);
    if (s.pending) {
      pending.remove(s);
      ipc.pending--;
      netc.pending--;
    } else {
      upgraded.remove(s);
      if (s.peer != null) decrement(connectionsByPeer, s.peer);
    }
    ipc.all--;
    netc.all--;
    if (ipc.all == 0) byIp.remove(s.source);
    if (netc.all == 0) bySubnet.remove(s.subnet);
  }

  /** The handshake deadline now: short while more than the pressure threshold of pending slots are taken. */
  public synchronized long handshakeTimeoutMillis() {
    return limits.handshakeTimeoutAt(pending.size());
  }

  /** Whether {@code s} is still handshaking past the deadline that applies now. */
  public synchronized boolean overdue(ConnectionScope s) {
    if (s.outbound || !s.pending || s.released) return false;
    return clockMillis.getAsLong() - s.openedAtMillis >= limits.handshakeTimeoutAt(pending.size());
  }

  /** Counts a connection closed at its handshake deadline (for the snapshot). */
  public synchronized void handshakeTimedOut(ConnectionScope s) {
    if (!s.released) handshakeTimeouts++;
    releaseLocked(s);
  }

  // ---- streams ----

  /** Reserves an inbound stream for {@code protocol} from {@code peer} on connection {@code connectionId}. */
  public synchronized StreamScope openInboundStream(long connectionId, PeerId peer, String protocol) throws LimitExceededException {
    int onConnection = streamsByConnection.getOrDefault(connectionId, 0);
    int ofProtocol = streamsByProtocol.getOrDefault(protocol, 0);
    int ofPeer = streamsByPeer.getOrDefault(peer, 0);
    String refused = null;
    if (onConnection >= limits.maxStreamsPerConnection()) refused = "streams on connection " + connectionId + " at the limit (" + limits.maxStreamsPerConnection() + ")";
    else if (ofProtocol >= limits.maxStreamsPerProtocol()) refused = "streams for " + protocol + " at the limit (" + limits.maxStreamsPerProtocol() + ")";
    else if (ofPeer >= limits.maxStreamsPerPeer()) refused = "streams from " + peer + " at the limit (" + limits.maxStreamsPerPeer() + ")";
    if (refused != null) {
      refusedStreams++;
      throw new LimitExceededException(refused);
    }
    streamsByConnection.put(connectionId, onConnection + 1);
    streamsByProtocol.put(protocol, ofProtocol + 1);
    streamsByPeer.put(peer, ofPeer + 1);
    streams++;
    return new StreamScope(this, connectionId, peer, protocol);
  }

  synchronized void release(StreamScope s) {
    if (s.released) return;
    s.released = true;
    if (s.reservedBytes > 0) unbuffer(s.peer, s.protocol, s.reservedBytes);
    s.reservedBytes = 0;
    decrement(streamsByConnection, s.connectionId);
    decrement(streamsByProtocol, s.protocol);
    decrement(streamsByPeer, s.peer);
    streams--;
  }

  synchronized void reserveMemory(StreamScope s, long bytes) throws LimitExceededException {
    if (bytes < 0) throw new IllegalArgumentException("negative reservation");
    if (s.released) throw new IllegalStateException("stream scope already released");
    String refused = wouldExceed(s.peer, s.protocol, bytes);
    if (refused != null) {
      refusedBufferBytes += bytes;
      throw new LimitExceededException(refused);
    }
    buffer(s.peer, s.protocol, bytes);
    s.reservedBytes += bytes;
  }

  synchronized void releaseMemory(StreamScope s, long bytes) {
    long n = Math.min(Math.max(0, bytes), s.reservedBytes);
    if (n == 0) return;
    s.reservedBytes -= n;
    unbuffer(s.peer, s.protocol, n);
  }

  /**
   * Counts {@code bytes} a muxer already holds for {@code peer}'s stream of {@code protocol}
   * (null: not negotiated yet) and says whether all buffer limits still hold. The bytes are
   * counted either way — they are in memory — and the caller resets the stream on false, which
   * returns them with {@link #unchargeBuffer}; so a limit is passed by at most one frame.
   */
  public synchronized boolean chargeBuffer(PeerId peer, String protocol, long bytes) {
    String p = protocol == null ? "" : protocol;
    String refused = wouldExceed(peer, p, bytes);
    buffer(peer, p, bytes);
    if (refused != null) refusedBufferBytes += bytes;
    return refused == null;
  }

  public synchronized void unchargeBuffer(PeerId peer, String protocol, long bytes) {
    unbuffer(peer, protocol == null ? "" : protocol, bytes);
  }

  private String wouldExceed(PeerId peer, String protocol, long bytes) {
    if (bufferedTotal + bytes > limits.maxBufferedTotal()) return "buffered bytes host-wide at the limit (" + limits.maxBufferedTotal() + ")";
    if (bufferedByPeer.getOrDefault(peer, 0L) + bytes > limits.maxBufferedPerPeer()) return "buffered bytes of " + peer + " at the limit (" + limits.maxBufferedPerPeer() + ")";
    if (bufferedByProtocol.getOrDefault(protocol, 0L) + bytes > limits.maxBufferedPerProtocol()) return "buffered bytes for " + protocol + " at the limit (" + limits.maxBufferedPerProtocol() + ")";
    return null;
  }

  private void buffer(PeerId peer, String protocol, long bytes) {
    bufferedTotal += bytes;
    bufferedByPeer.merge(peer, bytes, Long::sum);
    bufferedByProtocol.merge(protocol, bytes, Long::sum);
  }

  private void unbuffer(PeerId peer, String protocol, long bytes) {
    bufferedTotal -= bytes;
    bufferedByPeer.computeIfPresent(peer, (k, v) -> v - bytes == 0 ? null : v - bytes);
    bufferedByProtocol.computeIfPresent(protocol, (k, v) -> v - bytes == 0 ? null : v - bytes);
  }

  /**
   * This manager as the {@link dev.weft.p2p.api.ResourceScope} services get from their context:
   * memory they hold for a peer counts against the same per-peer, per-protocol and host-wide
   * buffer limits as the muxer's, and streams they keep open against the per-peer and per-protocol
   * stream limits. A refusal is counted like any other.
   */
  public dev.weft.p2p.api.ResourceScope serviceScope() {
    return new ServiceScope();
  }

  /**
   * One {@link #serviceScope()}: remembers what it reserved per peer and protocol so a release
   * returns at most that — a service that releases twice, or more than it took, cannot hand back
   * bytes or streams the muxer or another scope holds (which would let a peer exceed its share).
   * Guarded by the manager's lock.
   */
  private final class ServiceScope implements dev.weft.p2p.api.ResourceScope {
    private record Key(PeerId peer, String protocol) {}

    private final Map<Key, Long> memory = new HashMap<>();
    private final Map<Key, Integer> streamsHeld = new HashMap<>();

    @Override public boolean reserveMemory(PeerId peer, String protocol, long bytes) {
      if (bytes < 0) throw new IllegalArgumentException("negative reservation");
      synchronized (ResourceManager.this) {
        String refused = wouldExceed(peer, protocol, bytes);
        if (refused != null) {
          refusedBufferBytes += bytes;
          return false;
        }
        if (bytes == 0) return true;
        buffer(peer, protocol, bytes);
        memory.merge(new Key(peer, protocol), bytes, Long::sum);
        return true;
      }
    }

    @Override public void releaseMemory(PeerId peer, String protocol, long bytes) {
      synchronized (ResourceManager.this) {
        Key k = new Key(peer, protocol);
        long held = memory.getOrDefault(k, 0L);
        long n = Math.min(Math.max(0, bytes), held);
        if (n == 0) return;
        if (held == n) memory.remove(k);
        else memory.put(k, held - n);
        unbuffer(peer, protocol, n);
      }
    }

    @Override public boolean reserveStream(PeerId peer, String protocol) {
      synchronized (ResourceManager.this) {
        if (streamsByProtocol.getOrDefault(protocol, 0) >= limits.maxStreamsPerProtocol()
            || streamsByPeer.getOrDefault(peer, 0) >= limits.maxStreamsPerPeer()) {
          refusedStreams++;
          return false;
        }
        streamsByProtocol.merge(protocol, 1, Integer::sum);
        streamsByPeer.merge(peer, 1, Integer::sum);
        streams++;
        streamsHeld.merge(new Key(peer, protocol), 1, Integer::sum);
        return true;
      }
    }

    @Override public void releaseStream(PeerId peer, String protocol) {
      synchronized (ResourceManager.this) {
        Key k = new Key(peer, protocol);
        if (!streamsHeld.containsKey(k)) return;
        decrement(streamsHeld, k);
        decrement(streamsByProtocol, protocol);
        decrement(streamsByPeer, peer);
        streams--;
      }
    }
  }

  // ---- counters ----

  public synchronized ResourceSnapshot snapshot() {
    int sourcesPending = 0;
    for (Counts c : byIp.values()) if (c.pending > 0) sourcesPending++;
    return new ResourceSnapshot(connectionsHeld(), pending.size(), streams, bufferedTotal, sourcesPending,
        refusedConnections, shedConnections, handshakeTimeouts, refusedStreams, refusedBufferBytes);
  }

  /** Bytes charged for {@code peer} right now (tests and diagnostics). */
  public synchronized long bufferedBy(PeerId peer) {
    return bufferedByPeer.getOrDefault(peer, 0L);
  }

  /** Connections held from {@code source} right now, any state. */
  public synchronized int connectionsFrom(InetAddress source) {
    Counts c = byIp.get(Subnet.canonical(source));
    return c == null ? 0 : c.all;
  }

  private static <K> void decrement(Map<K, Integer> m, K k) {
    m.computeIfPresent(k, (x, v) -> v <= 1 ? null : v - 1);
  }
}
