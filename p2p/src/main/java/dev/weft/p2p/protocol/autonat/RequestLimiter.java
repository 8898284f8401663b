package dev.weft.p2p.protocol.autonat;

import dev.weft.p2p.api.PeerId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The AutoNAT server's admission: sliding-window request counts per peer and overall, a separate
 * window for dials to third-party IPs, and in-flight dials (one per peer). Only admitted
 * requests are remembered, so memory is bounded by the global limit whatever peers send.
 * Pure (time as an argument); confine to one thread.
 */
public final class RequestLimiter {
  public enum Admission { ADMITTED, PEER_RATE_LIMITED, GLOBAL_RATE_LIMITED, BUSY }

  private final AutonatServerConfig config;
  private final ArrayDeque<Long> global = new ArrayDeque<>();
  private final ArrayDeque<Long> dialData = new ArrayDeque<>();
  private final Map<PeerId, ArrayDeque<Long>> perPeer = new HashMap<>();
  private final Set<PeerId> inFlight = new HashSet<>();

  public RequestLimiter(AutonatServerConfig config) {
    this.config = config;
  }

  /** Asks to serve one request from {@code peer}; on ADMITTED the caller must {@link #release} it. */
  public Admission tryAcquire(PeerId peer, long nowMillis) {
    expire(nowMillis);
    if (inFlight.contains(peer) || inFlight.size() >= config.maxConcurrentDials()) return Admission.BUSY;
    if (global.size() >= config.globalRequestsPerWindow()) return Admission.GLOBAL_RATE_LIMITED;
    ArrayDeque<Long> mine = perPeer.get(peer);
    if (mine != null && mine.size() >= config.perPeerRequestsPerWindow()) return Admission.PEER_RATE_LIMITED;
    global.addLast(nowMillis);
    perPeer.computeIfAbsent(peer, p -> new ArrayDeque<>()).addLast(nowMillis);
    inFlight.add(peer);
    return Admission.ADMITTED;
  }

  /** Asks to dial a third-party IP (after dial data was asked for); counts when true. */
  public boolean tryAcquireDialData(long nowMillis) {
    expire(nowMillis);
    if (dialData.size() >= config.dialDataRequestsPerWindow()) return false;
    dialData.addLast(nowMillis);
    return true;
  }

  public void release(PeerId peer) {
    inFlight.remove(peer);
  }

  /** Peers with an admitted request still in the window (for tests of the memory bound). */
  public int trackedPeers() {
    return perPeer.size();
  }

  private void expire(long nowMillis) {
    long cutoff = nowMillis - config.windowMillis();
    while (!global.isEmpty() && global.peekFirst() <= cutoff) global.removeFirst();
    while (!dialData.isEmpty() && dialData.peekFirst() <= cutoff) dialData.removeFirst();
    perPeer.values().removeIf(q -> {
      while (!q.isEmpty() && q.peekFirst() <= cutoff) q.removeFirst();
      return q.isEmpty();
    });
  }
}
