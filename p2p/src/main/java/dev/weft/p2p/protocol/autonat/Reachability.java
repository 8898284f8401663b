package dev.weft.p2p.protocol.autonat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reachability of each of our addresses from AutoNAT dial-backs, and of the node as a whole. Each
 * server has one vote per address (its latest result), votes expire, and a verdict needs
 * {@link ReachabilityConfig#confirmations()} agreeing servers and a majority:
 *
 * <pre>
 *   UNKNOWN --successes >= k and > failures--> PUBLIC
 *   UNKNOWN --failures  >= k and > successes-> PRIVATE
 *   PUBLIC/PRIVATE --votes expire or the majority turns--> UNKNOWN or the other verdict
 * </pre>
 *
 * The node is PUBLIC if any address is, else PRIVATE if any address is, else UNKNOWN. Pure (time
 * as an argument); not thread-safe.
 */
public final class Reachability {
  public enum Status { PUBLIC, PRIVATE, UNKNOWN }

  /**
   * @param confidence share of live votes agreeing with the verdict (0 when UNKNOWN)
   * @param reachableBy servers whose latest result was a successful dial-back
   * @param unreachableBy servers whose latest result was a failed dial
   */
  public record AddressStatus(Multiaddr address, Status status, int successes, int failures, double confidence,
      List<PeerId> reachableBy, List<PeerId> unreachableBy) {}

  /** An address's verdict changed. */
  public record Changed(Multiaddr address, Status from, Status to) {}

  private record Vote(boolean reachable, long atMillis) {}

  private static final class Entry {
    final LinkedHashMap<PeerId, Vote> votes = new LinkedHashMap<>();
    long lastMillis;
    Status status = Status.UNKNOWN;
  }

  private final ReachabilityConfig config;
  private final LinkedHashMap<Multiaddr, Entry> entries = new LinkedHashMap<>();

  public Reachability(ReachabilityConfig config) {
    this.config = config;
  }

  /** Counts {@code server}'s result for {@code address}; returns the change of verdict, if any. */
  public Optional<Changed> record(Multiaddr address, PeerId server, boolean reachable, long nowMillis) {
    Entry e = entries.remove(address);
    if (e == null) {
      e = new Entry();
      if (entries.size() >= config.maxAddresses()) entries.remove(entries.keySet().iterator().next());
    }
    entries.put(address, e);
    e.lastMillis = nowMillis;
    e.votes.remove(server);
    if (e.votes.size() >= config.maxServersPerAddress()) e.votes.remove(e.votes.keySet().iterator().next());
    e.votes.put(server, new Vote(reachable, nowMillis));
    return reassess(address, e, nowMillis);
  }

  /** Re-reads every verdict at {@code nowMillis} (votes expire); returns the changes. */
  public List<Changed> tick(long nowMillis) {
    List<Changed> out = new ArrayList<>();
    for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
      var en = it.next();
      reassess(en.getKey(), en.getValue(), nowMillis).ifPresent(out::add);
      if (en.getValue().votes.isEmpty()) it.remove();
    }
    return out;
  }

  public AddressStatus status(Multiaddr address, long nowMillis) {
    Entry e = entries.get(address);
    if (e == null) return new AddressStatus(address, Status.UNKNOWN, 0, 0, 0, List.of(), List.of());
    expire(e, nowMillis);
    return summarise(address, e);
  }

  /** Every tracked address, public first. */
  public List<AddressStatus> all(long nowMillis) {
    List<AddressStatus> out = new ArrayList<>();
    for (var en : entries.entrySet()) {
      expire(en.getValue(), nowMillis);
      out.add(summarise(en.getKey(), en.getValue()));
    }
    out.sort(Comparator.comparing(AddressStatus::status).thenComparing(s -> s.address().toString()));
    return out;
  }

  public Status node(long nowMillis) {
    boolean anyPrivate = false;
    for (AddressStatus s : all(nowMillis)) {
      if (s.status() == Status.PUBLIC) return Status.PUBLIC;
      if (s.status() == Status.PRIVATE) anyPrivate = true;
    }
    return anyPrivate ? Status.PRIVATE : Status.UNKNOWN;
  }

  /** Whether a result from {@code server} about {@code address} would add anything now. */
  public boolean wouldLearnFrom(Multiaddr address, PeerId server, long nowMillis) {
    Entry e = entries.get(address);
    if (e == null) return true;
    expire(e, nowMillis);
    return !e.votes.containsKey(server);
  }

  private Optional<Changed> reassess(Multiaddr address, Entry e, long nowMillis) {
    expire(e, nowMillis);
    Status before = e.status;
    e.status = summarise(address, e).status();
    return before == e.status ? Optional.empty() : Optional.of(new Changed(address, before, e.status));
  }

  private void expire(Entry e, long nowMillis) {
    long cutoff = nowMillis - config.resultTtlMillis();
    e.votes.values().removeIf(v -> v.atMillis() <= cutoff);
  }

  private AddressStatus summarise(Multiaddr address, Entry e) {
    List<PeerId> yes = new ArrayList<>();
    List<PeerId> no = new ArrayList<>();
    for (Map.Entry<PeerId, Vote> v : e.votes.entrySet()) (v.getValue().reachable() ? yes : no).add(v.getKey());
    int s = yes.size();
    int f = no.size();
    Status st = Status.UNKNOWN;
    double confidence = 0;
    if (s >= config.confirmations() && s > f) {
      st = Status.PUBLIC;
      confidence = (double) s / (s + f);
    } else if (f >= config.confirmations() && f > s) {
      st = Status.PRIVATE;
      confidence = (double) f / (s + f);
    }
    return new AddressStatus(address, st, s, f, confidence, yes, no);
  }
}
