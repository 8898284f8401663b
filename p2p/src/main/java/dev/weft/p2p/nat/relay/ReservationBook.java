package dev.weft.p2p.nat.relay;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.nat.ObserverGroup;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A relay's reservations and circuits (circuit-v2.md, hop protocol), as a state machine told what
 * peers ask and answering with the status to send. Pure (monotonic time in milliseconds, wall
 * time in Unix seconds for the expiry on the wire, both as arguments); not thread-safe.
 *
 * <pre>
 *   (none) --RESERVE, within limits--> RESERVED --RESERVE--> RESERVED (refreshed, same slot)
 *   RESERVED --TTL passes / peer disconnects--> (none)
 *   CONNECT src→dst: dst RESERVED and circuit limits hold --> circuit open (limit on it) --closed--> freed
 * </pre>
 *
 * Requests arriving over relayed connections are refused (spec: "should not accept reservations
 * / connection initiations over already relayed connections").
 */
public final class ReservationBook {
  public sealed interface Outcome {
    record Reserved(long expireUnixSeconds, RelayMessage.Limit limit) implements Outcome {}

    record CircuitOpened(long circuitId, RelayMessage.Limit limit) implements Outcome {}

    record Refused(RelayMessage.Status status, String reason) implements Outcome {}
  }

  private record Reservation(ObserverGroup group, String ip, long expiresAtMillis) {}

  private record Circuit(PeerId src, PeerId dst) {}

  private final RelayConfig config;
  private final LinkedHashMap<PeerId, Reservation> reservations = new LinkedHashMap<>();
  private final Map<ObserverGroup, Integer> perGroup = new HashMap<>();
  private final Map<String, Integer> perIp = new HashMap<>();
  private final Map<Long, Circuit> circuits = new HashMap<>();
  private final Map<PeerId, Integer> circuitsPerPeer = new HashMap<>();
  private long nextCircuit = 1;

  public ReservationBook(RelayConfig config) {
    this.config = config;
  }

  /** {@code peer}, connected from {@code peerAddress}, asks for (or refreshes) a reservation. */
  public Outcome reserve(PeerId peer, Multiaddr peerAddress, long nowMillis, long wallUnixSeconds) {
    expire(nowMillis);
    if (peerAddress.has(Protocol.P2P_CIRCUIT)) return refused(RelayMessage.Status.PERMISSION_DENIED, "reservation over a relayed connection");
    ObserverGroup g = ObserverGroup.of(peerAddress);
    String ip = ipOf(peerAddress);
    Reservation old = reservations.remove(peer);
    if (old != null) release(old);
    if (reservations.size() >= config.maxReservations()) {
      return refused(RelayMessage.Status.RESERVATION_REFUSED, "relay holds " + config.maxReservations() + " reservations");
    }
    if (perGroup.getOrDefault(g, 0) >= config.maxReservationsPerGroup()) {
      return refused(RelayMessage.Status.RESERVATION_REFUSED, "network " + g.key() + " holds " + config.maxReservationsPerGroup() + " reservations");
    }
    if (perIp.getOrDefault(ip, 0) >= config.maxReservationsPerIp()) {
      return refused(RelayMessage.Status.RESERVATION_REFUSED, ip + " holds " + config.maxReservationsPerIp() + " reservations");
    }
    reservations.put(peer, new Reservation(g, ip, nowMillis + config.reservationTtlMillis()));
    perGroup.merge(g, 1, Integer::sum);
    perIp.merge(ip, 1, Integer::sum);
    return new Outcome.Reserved(wallUnixSeconds + config.reservationTtlMillis() / 1000, config.limit());
  }

  /** {@code src} (connected from {@code srcAddress}) asks to be connected to {@code dst}. */
  public Outcome connect(PeerId src, Multiaddr srcAddress, PeerId dst, long nowMillis) {
    expire(nowMillis);
    if (srcAddress.has(Protocol.P2P_CIRCUIT)) return refused(RelayMessage.Status.PERMISSION_DENIED, "connect over a relayed connection");
    if (!reservations.containsKey(dst)) return refused(RelayMessage.Status.NO_RESERVATION, dst + " has no reservation here");
    if (circuits.size() >= config.maxCircuits()) return refused(RelayMessage.Status.RESOURCE_LIMIT_EXCEEDED, "relay carries " + config.maxCircuits() + " circuits");
    if (circuitsPerPeer.getOrDefault(src, 0) >= config.maxCircuitsPerPeer() || circuitsPerPeer.getOrDefault(dst, 0) >= config.maxCircuitsPerPeer()) {
      return refused(RelayMessage.Status.RESOURCE_LIMIT_EXCEEDED, "too many circuits for " + src + " or " + dst);
    }
    long id = nextCircuit++;
    circuits.put(id, new Circuit(src, dst));
    circuitsPerPeer.merge(src, 1, Integer::sum);
    circuitsPerPeer.merge(dst, 1, Integer::sum);
    return new Outcome.CircuitOpened(id, config.limit());
  }

  /** A circuit ended (closed, reset, or over its limit). Idempotent. */
  public void circuitClosed(long circuitId) {
    Circuit c = circuits.remove(circuitId);
    if (c == null) return;
    decrement(circuitsPerPeer, c.src());
    decrement(circuitsPerPeer, c.dst());
  }

  /** {@code peer}'s last connection to us closed: its reservation ends with it (spec). */
  public void disconnected(PeerId peer) {
    Reservation r = reservations.remove(peer);
    if (r != null) release(r);
  }

  public boolean hasReservation(PeerId peer, long nowMillis) {
    expire(nowMillis);
    return reservations.containsKey(peer);
  }

  public int reservations(long nowMillis) {
    expire(nowMillis);
    return reservations.size();
  }

  public int circuits() {
    return circuits.size();
  }

  private void expire(long nowMillis) {
    var it = reservations.values().iterator();
    while (it.hasNext()) {
      Reservation r = it.next();
      if (r.expiresAtMillis() <= nowMillis) {
        it.remove();
        release(r);
      }
    }
  }

  private void release(Reservation r) {
    decrement(perGroup, r.group());
    decrement(perIp, r.ip());
  }

  /** The address's IP (its first component), or the whole address when it has none. */
  private static String ipOf(Multiaddr a) {
    if (a.components().isEmpty()) return "addr:" + a;
    Multiaddr.Component first = a.components().get(0);
    return first.protocol() == Protocol.IP4 || first.protocol() == Protocol.IP6 ? first.toString() : "addr:" + a;
  }

  /** When the oldest reservation lapses (monotonic ms), for the caller's timer; Long.MAX_VALUE if none. */
  public long nextExpiryMillis() {
    long next = Long.MAX_VALUE;
    for (Reservation r : reservations.values()) next = Math.min(next, r.expiresAtMillis());
    return next;
  }

  private static <K> void decrement(Map<K, Integer> m, K k) {
    m.computeIfPresent(k, (x, n) -> n <= 1 ? null : n - 1);
  }

  private static Outcome refused(RelayMessage.Status s, String why) {
    return new Outcome.Refused(s, why);
  }
}
