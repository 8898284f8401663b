package dev.weft.dht.lookup;

import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One path of an iterative lookup (kad-dht spec, "Peer routing"): candidates sorted by XOR
 * distance to the target, at most α requests in flight, done when the k closest non-failed
 * candidates have all answered, or when nothing is left to ask.
 */
public final class ClosestPeersLookup implements Lookup {
  enum State { NOT_CONTACTED, WAITING, SUCCEEDED, FAILED, SKIPPED }

  private static final class Candidate {
    final PeerInfo peer;
    final int depth;
    State state = State.NOT_CONTACTED;
    long deadline;
    int attempts;

    Candidate(PeerInfo peer, int depth) {
      this.peer = peer;
      this.depth = depth;
    }
  }

  private final KadKey target;
  private final LookupConfig config;
  private final Predicate<PeerId> mayQuery;
  private final PeerId self;
  /** Keyed by distance to the target: unique per peer, iteration is closest first. */
  private final TreeMap<KadKey, Candidate> byDistance = new TreeMap<>();
  private final Map<PeerId, Candidate> byPeer = new HashMap<>();
  private int inFlight;
  private int queries;
  private boolean finished;

  /**
   * @param self our own id, never a candidate
   * @param mayQuery asked just before a peer is queried; false marks it SKIPPED (another disjoint
   *     path has it, or it is banned). It may record the claim.
   */
  public ClosestPeersLookup(KadKey target, LookupConfig config, PeerId self, Collection<PeerInfo> seeds, Predicate<PeerId> mayQuery) {
    this.target = target;
    this.config = config;
    this.self = self;
    this.mayQuery = mayQuery;
    for (PeerInfo p : seeds) addCandidate(p, 1);
  }

  public KadKey target() {
    return target;
  }

  private void addCandidate(PeerInfo p, int depth) {
    if (p.id().equals(self) || byPeer.containsKey(p.id())) return;
    Candidate c = new Candidate(p, depth);
    byPeer.put(p.id(), c);
    byDistance.put(target.distance(p.kadKey()), c);
  }

  @Override public LookupAction next(long nowMillis) {
    if (finished) return new LookupAction.Done();
    long earliest = Long.MAX_VALUE;
    for (Candidate c : byDistance.values()) {
      if (c.state == State.WAITING && c.deadline <= nowMillis) timedOut(c);
    }
    int window = 0;
    boolean allSucceeded = true;
    for (Candidate c : byDistance.values()) {
      if (window == config.k()) break;
      switch (c.state) {
        case FAILED, SKIPPED -> { continue; }
        case SUCCEEDED -> { }
        case WAITING -> {
          allSucceeded = false;
          earliest = Math.min(earliest, c.deadline);
        }
        case NOT_CONTACTED -> {
          allSucceeded = false;
          if (inFlight < config.alpha()) {
            if (!mayQuery.test(c.peer.id())) {
              c.state = State.SKIPPED;
              continue;
            }
            c.state = State.WAITING;
            c.attempts++;
            c.deadline = nowMillis + config.requestTimeoutMillis();
            inFlight++;
            queries++;
            return new LookupAction.Query(c.peer);
          }
        }
      }
      window++;
    }
    if (allSucceeded) {
      finished = true;
      return new LookupAction.Done();
    }
    if (inFlight == 0) {
      // Defensive: nothing in flight and nothing queryable means nothing more can happen.
      finished = true;
      return new LookupAction.Done();
    }
    return new LookupAction.Wait(earliest);
  }

  @Override public void onSuccess(PeerId peer, List<PeerInfo> closerPeers, long nowMillis) {
    Candidate c = byPeer.get(peer);
    if (c == null || c.state != State.WAITING) return;
    c.state = State.SUCCEEDED;
    inFlight--;
    for (PeerInfo p : closerPeers) addCandidate(p, c.depth + 1);
  }

  @Override public void onFailure(PeerId peer, long nowMillis) {
    Candidate c = byPeer.get(peer);
    if (c == null || c.state != State.WAITING) return;
    c.state = State.FAILED;
    inFlight--;
  }

  @Override public void onTimeout(PeerId peer, long nowMillis) {
    Candidate c = byPeer.get(peer);
    if (c != null && c.state == State.WAITING) timedOut(c);
  }

  private void timedOut(Candidate c) {
    inFlight--;
    c.state = c.attempts < config.attempts() ? State.NOT_CONTACTED : State.FAILED;
  }

  /** Gives up now: the result is whatever has answered so far. */
  public void finish() {
    finished = true;
  }

  @Override public boolean isFinished() {
    return finished;
  }

  @Override public List<PeerInfo> result() {
    List<PeerInfo> out = new ArrayList<>(config.k());
    for (Candidate c : byDistance.values()) {
      if (c.state == State.SUCCEEDED) {
        out.add(c.peer);
        if (out.size() == config.k()) break;
      }
    }
    return out;
  }

  @Override public int queriesSent() {
    return queries;
  }

  @Override public int hops() {
    int h = 0;
    for (PeerInfo p : result()) h = Math.max(h, byPeer.get(p.id()).depth);
    return h;
  }

  @Override public int depthOf(PeerId peer) {
    Candidate c = byPeer.get(peer);
    return c == null ? 0 : c.depth;
  }

  /** Whether {@code peer} is a candidate of this path. */
  public boolean knows(PeerId peer) {
    return byPeer.containsKey(peer);
  }

  /** The earliest deadline of a request in flight, or Long.MAX_VALUE. */
  long earliestDeadline() {
    long e = Long.MAX_VALUE;
    for (Candidate c : byPeer.values()) if (c.state == State.WAITING) e = Math.min(e, c.deadline);
    return e;
  }
}
