package dev.weft.dht.lookup;

import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * S/Kademlia disjoint-path lookup (Baumgart and Mies, 2007, section 4.4): the seeds are dealt
 * round-robin to d independent {@link ClosestPeersLookup paths}; a peer is queried by at most one
 * path and the peers it names feed only that path, so one path through honest peers reaches the
 * target even when adversaries poison the others. Done when every path is done; the result is the
 * k closest peers that answered on any path.
 */
public final class DisjointLookup implements Lookup {
  private final KadKey target;
  private final int k;
  private final List<ClosestPeersLookup> paths = new ArrayList<>();
  /** Which path queried (claimed) each peer. */
  private final Map<PeerId, Integer> claims = new HashMap<>();
  private int nextPath;

  public DisjointLookup(KadKey target, LookupConfig config, PeerId self, List<PeerInfo> seeds, Predicate<PeerId> mayQuery) {
    this.target = target;
    this.k = config.k();
    int d = config.disjointPaths();
    List<List<PeerInfo>> dealt = new ArrayList<>();
    for (int i = 0; i < d; i++) dealt.add(new ArrayList<>());
    List<PeerInfo> sorted = new ArrayList<>(seeds);
    sorted.sort(Comparator.comparing(PeerInfo::kadKey, target::compareDistance));
    for (int i = 0; i < sorted.size(); i++) dealt.get(i % d).add(sorted.get(i));
    for (int i = 0; i < d; i++) {
      final int path = i;
      paths.add(new ClosestPeersLookup(target, config, self, dealt.get(i), peer -> {
        Integer owner = claims.get(peer);
        if (owner != null && owner != path) return false;
        if (!mayQuery.test(peer)) return false;
        claims.put(peer, path);
        return true;
      }));
    }
  }

  public int pathCount() {
    return paths.size();
  }

  /** The path that queried {@code peer}, or -1. */
  public int pathOf(PeerId peer) {
    return claims.getOrDefault(peer, -1);
  }

  @Override public LookupAction next(long nowMillis) {
    long earliest = Long.MAX_VALUE;
    boolean allDone = true;
    // round-robin start so no path starves the others of the driver's attention
    for (int i = 0; i < paths.size(); i++) {
      int p = (nextPath + i) % paths.size();
      LookupAction a = paths.get(p).next(nowMillis);
      switch (a) {
        case LookupAction.Query q -> {
          nextPath = (p + 1) % paths.size();
          return q;
        }
        case LookupAction.Wait w -> {
          allDone = false;
          earliest = Math.min(earliest, w.untilMillis());
        }
        case LookupAction.Done d -> { }
      }
    }
    return allDone ? new LookupAction.Done() : new LookupAction.Wait(earliest);
  }

  @Override public void onSuccess(PeerId peer, List<PeerInfo> closerPeers, long nowMillis) {
    int p = pathOf(peer);
    if (p >= 0) paths.get(p).onSuccess(peer, closerPeers, nowMillis);
  }

  @Override public void onFailure(PeerId peer, long nowMillis) {
    int p = pathOf(peer);
    if (p >= 0) paths.get(p).onFailure(peer, nowMillis);
  }

  @Override public void onTimeout(PeerId peer, long nowMillis) {
    int p = pathOf(peer);
    if (p >= 0) paths.get(p).onTimeout(peer, nowMillis);
  }

  @Override public boolean isFinished() {
    for (ClosestPeersLookup p : paths) if (!p.isFinished()) return false;
    return true;
  }

  /** Gives up on every path. */
  public void finish() {
    for (ClosestPeersLookup p : paths) p.finish();
  }

  @Override public List<PeerInfo> result() {
    List<PeerInfo> all = new ArrayList<>();
    for (ClosestPeersLookup p : paths) for (PeerInfo i : p.result()) if (!all.contains(i)) all.add(i);
    all.sort(Comparator.comparing(PeerInfo::kadKey, target::compareDistance));
    return all.size() > k ? new ArrayList<>(all.subList(0, k)) : all;
  }

  /** The result of path {@code i} alone. */
  public List<PeerInfo> pathResult(int i) {
    return paths.get(i).result();
  }

  @Override public int queriesSent() {
    int n = 0;
    for (ClosestPeersLookup p : paths) n += p.queriesSent();
    return n;
  }

  @Override public int hops() {
    int h = 0;
    for (PeerInfo p : result()) h = Math.max(h, depthOf(p.id()));
    return h;
  }

  @Override public int depthOf(PeerId peer) {
    int p = pathOf(peer);
    return p >= 0 ? paths.get(p).depthOf(peer) : 0;
  }
}
