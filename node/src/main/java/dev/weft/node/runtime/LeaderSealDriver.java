package dev.weft.node.runtime;

import dev.weft.node.runtime.RoundMessage.Contribution;
import dev.weft.node.runtime.RoundMessage.Digest;
import dev.weft.node.runtime.RoundMessage.Seal;
import dev.weft.node.runtime.RoundMessage.SealEntry;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stand-in round protocol: <b>not Byzantine fault tolerant</b>, to be replaced by
 * {@code node/round}'s RoundMachine. Contributions travel as gossip; the round's leader (the live
 * members sorted by peer id, rotated by round and view) seals once it holds a contribution from
 * every live member (and at least {@link Config#minContributions}), or when the cut-off ({@link Config#cutoffMillis} after the first contribution
 * of the round) has passed; every peer then aggregates exactly the sealed set. If no seal comes
 * within {@link Config#viewTimeoutMillis} more, the next member in the rotation seals (a view
 * change). The first seal received for a round is final.
 *
 * <p>What this trusts, and RoundMachine does not: that sealers are honest (a Byzantine sealer can
 * censor contributions or send different peers different seals), and that two seals for a round
 * from a slow leader and its successor do not cross (honest peers could then diverge; the testnet
 * checks every honest peer's parameter hash each round and would show it). Byzantine
 * <i>contributions</i> — the testnet's attacks — are handled by the robust aggregator either way.
 *
 * <p>Pure: no I/O, no clock; all calls on one thread.
 */
public final class LeaderSealDriver implements RoundDriver {
  /**
   * @param cutoffMillis after the round's first contribution, how long the leader waits for the rest
   * @param viewTimeoutMillis after the cut-off, how long each leader in turn has before the next one seals
   * @param blobTimeoutMillis how long a sealed-but-missing contribution is waited for before resyncing
   * @param minContributions fewer than this at the cut-off makes a null round
   * @param maxContributionsPerRound contributions held per round at most (more are dropped)
   */
  public record Config(long cutoffMillis, long viewTimeoutMillis, long blobTimeoutMillis, int minContributions, int maxContributionsPerRound) {
    public Config {
      if (cutoffMillis < 1 || viewTimeoutMillis < 1 || blobTimeoutMillis < 1) throw new IllegalArgumentException("timeouts must be positive");
      if (minContributions < 1) throw new IllegalArgumentException("minContributions must be at least 1");
      if (maxContributionsPerRound < minContributions) throw new IllegalArgumentException("maxContributionsPerRound below minContributions");
    }

    public static Config defaults() {
      return new Config(15_000, 5_000, 10_000, 1, 1024);
    }
  }

  /** Rounds ahead of ours for which contributions and seals are kept. */
  static final int LOOKAHEAD = 2;

  private final String run;
  private final PeerId self;
  private final Config config;
  private final TreeSet<PeerId> live = new TreeSet<>();
  private final Map<Long, TreeMap<PeerId, Digest>> held = new HashMap<>();
  private final Map<Long, Seal> seals = new HashMap<>();
  private long round = -1;
  private long firstArrival = -1;
  private int view;
  private boolean sealSent;
  private Seal accepted;
  private long acceptedAt;
  private long timerAt = -1;
  private String lastStatus = "";

  public LeaderSealDriver(String run, PeerId self, Config config) {
    this.run = run;
    this.self = self;
    this.config = config;
    live.add(self);
  }

  @Override public long round() {
    return round;
  }

  /** The peer expected to seal the current round in the current view. */
  public PeerId leader() {
    List<PeerId> order = new ArrayList<>(live);
    return order.get((int) Math.floorMod(round + view, (long) order.size()));
  }

  public int view() {
    return view;
  }

  @Override public List<RoundAction> start(long r, long now) {
    if (r <= round) throw new IllegalArgumentException("round " + r + " does not follow " + round);
    round = r;
    firstArrival = -1;
    view = 0;
    sealSent = false;
    accepted = null;
    timerAt = -1;
    held.keySet().removeIf(k -> k < r || k > r + LOOKAHEAD);
    seals.keySet().removeIf(k -> k < r || k > r + LOOKAHEAD);
    List<RoundAction> out = new ArrayList<>();
    TreeMap<PeerId, Digest> h = held.get(r);
    if (h != null && !h.isEmpty()) firstArrival = now;
    Seal early = seals.remove(r);
    if (early != null) accept(early, now, out);
    return progress(now, out);
  }

  @Override public List<RoundAction> contributionReady(Contribution own, long now) {
    return blobHeld(own.round(), self, own.digest(), now);
  }

  @Override public List<RoundAction> onMessage(PeerId from, RoundMessage m, long now) {
    List<RoundAction> out = new ArrayList<>();
    if (!m.run().equals(run)) return out;
    if (m instanceof Seal s) {
      if (s.round() < round || s.round() > round + 64) return out;
      if (s.round() >= round + LOOKAHEAD) {
        out.add(new RoundAction.Resync("a seal for round " + s.round() + " arrived while we are in round " + round));
        return out;
      }
      if (s.round() > round) {
        seals.putIfAbsent(s.round(), s);
        return out;
      }
      if (accepted == null) accept(s, now, out);
    }
    // Contributions are reported through blobHeld once their bytes are stored.
    return progress(now, out);
  }

  @Override public List<RoundAction> blobHeld(long r, PeerId peer, Digest digest, long now) {
    List<RoundAction> out = new ArrayList<>();
    if (r < round || r > round + LOOKAHEAD) return out;
    TreeMap<PeerId, Digest> h = held.computeIfAbsent(r, k -> new TreeMap<>());
    if (h.containsKey(peer) || h.size() >= config.maxContributionsPerRound()) return out; // first one wins
    h.put(peer, digest);
    if (r == round && firstArrival < 0) firstArrival = now;
    return progress(now, out);
  }

  @Override public List<RoundAction> timerFired(long now) {
    timerAt = -1;
    return progress(now, new ArrayList<>());
  }

  @Override public List<RoundAction> membersChanged(Set<PeerId> members, long now) {
    live.clear();
    live.addAll(members);
    live.add(self);
    return progress(now, new ArrayList<>());
  }

  private void accept(Seal s, long now, List<RoundAction> out) {
    accepted = s;
    acceptedAt = now;
  }

  private List<RoundAction> progress(long now, List<RoundAction> out) {
    if (round < 0) return out;
    TreeMap<PeerId, Digest> h = held.getOrDefault(round, new TreeMap<>());
    if (accepted != null) {
      for (SealEntry e : accepted.entries()) {
        if (!e.digest().equals(h.get(e.peer()))) {
          if (now - acceptedAt >= config.blobTimeoutMillis()) {
            out.add(new RoundAction.Resync("round " + round + " was sealed with a contribution of " + e.peer().toBase58() + " that we do not hold"));
            accepted = null;
            return out;
          }
          status("round " + round + " sealed; waiting for the contribution of " + short58(e.peer()), out);
          timer(acceptedAt + config.blobTimeoutMillis(), out);
          return out;
        }
      }
      out.add(new RoundAction.Apply(round, accepted.entries(), accepted.sealer().toBase58()));
      return out;
    }
    if (firstArrival >= 0) {
      long cutoff = firstArrival + config.cutoffMillis();
      while (now >= cutoff + config.viewTimeoutMillis() * (view + 1L)) view++;
      boolean all = h.keySet().containsAll(live);
      if (!sealSent && leader().equals(self) && ((all && h.size() >= config.minContributions()) || now >= cutoff)) {
        List<SealEntry> entries = new ArrayList<>();
        if (h.size() >= config.minContributions()) for (Map.Entry<PeerId, Digest> e : h.entrySet()) entries.add(new SealEntry(e.getKey(), e.getValue()));
        Seal s = new Seal(run, round, view, self, entries);
        sealSent = true;
        out.add(new RoundAction.Publish(s));
        accept(s, now, out);
        return progress(now, out);
      }
      int missing = 0;
      for (PeerId p : live) if (!h.containsKey(p)) missing++;
      status(missing > 0
          ? "round " + round + ": waiting for " + missing + " more contribution" + (missing == 1 ? "" : "s") + " (" + h.size() + " held)"
          : "round " + round + ": all " + h.size() + " contributions held; waiting for the seal from " + short58(leader()), out);
      timer(now >= cutoff ? cutoff + config.viewTimeoutMillis() * (view + 1L) : cutoff, out);
    }
    return out;
  }

  private void timer(long at, List<RoundAction> out) {
    if (at != timerAt) {
      timerAt = at;
      out.add(new RoundAction.SetTimer(at));
    }
  }

  private void status(String line, List<RoundAction> out) {
    if (!line.equals(lastStatus)) {
      lastStatus = line;
      out.add(new RoundAction.Status(line));
    }
  }

  static String short58(PeerId p) {
    String s = p.toBase58();
    return s.substring(Math.max(0, s.length() - 6));
  }
}
