package dev.weft.p2p.nat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The addresses peers report seeing us at (identify's {@code observedAddr}), counted so that no
 * single peer's word is trusted: an address is confirmed only once observers from
 * {@link ObservedAddressConfig#minObserverGroups()} distinct {@link ObserverGroup}s report it.
 *
 * <p>Each observer has one vote per local address (the latest replaces the earlier), so a lying
 * peer that claims a thousand addresses holds one vote; votes expire after
 * {@link ObservedAddressConfig#ttlMillis()}; at most {@link ObservedAddressConfig#maxVotes()} are
 * held, and when full the group holding the most votes loses its oldest, so a flood from one
 * network evicts itself before anyone else.
 *
 * <p>Pure and not thread-safe: confine it to one thread (the {@link ObservedAddressCollector}
 * keeps it on the host scheduler). Time comes in as arguments.
 */
public final class ObservedAddressBook {
  /** Why an observation was not counted. */
  public enum Outcome { COUNTED, NOT_IP_TCP, UNSPECIFIED }

  private record VoteKey(PeerId observer, String local) {}

  private record Vote(Multiaddr observed, ObserverGroup group, int localPort, long atMillis) {}

  private final ObservedAddressConfig config;
  /** Insertion order = age order, since a re-vote is removed and re-inserted. */
  private final LinkedHashMap<VoteKey, Vote> votes = new LinkedHashMap<>();

  public ObservedAddressBook(ObservedAddressConfig config) {
    this.config = config;
  }

  /**
   * Counts {@code observer}'s claim that it sees us at {@code observed} on a connection whose
   * local end is {@code localAddress} and remote end {@code observerAddress}.
   */
  public Outcome record(PeerId observer, Multiaddr observerAddress, Multiaddr localAddress, Multiaddr observed, long nowMillis) {
    Optional<Multiaddr> thin = thinWaist(observed);
    if (thin.isEmpty()) return Outcome.NOT_IP_TCP;
    if (thin.get().isUnspecified() || port(thin.get()) == 0) return Outcome.UNSPECIFIED;
    expire(nowMillis);
    Optional<Multiaddr> local = thinWaist(localAddress);
    VoteKey key = new VoteKey(observer, local.map(Multiaddr::toString).orElse(String.valueOf(localAddress)));
    votes.remove(key);
    if (votes.size() >= config.maxVotes()) evictOne();
    votes.put(key, new Vote(thin.get(), ObserverGroup.of(observerAddress), local.map(ObservedAddressBook::port).orElse(-1), nowMillis));
    return Outcome.COUNTED;
  }

  /** Every address with a live vote, most groups first. */
  public List<ObservedAddress> addresses(long nowMillis) {
    expire(nowMillis);
    Map<Multiaddr, Tally> tallies = new LinkedHashMap<>();
    for (var e : votes.entrySet()) {
      Vote v = e.getValue();
      tallies.computeIfAbsent(v.observed(), a -> new Tally()).add(e.getKey().observer(), v);
    }
    List<ObservedAddress> out = new ArrayList<>();
    for (var e : tallies.entrySet()) {
      Tally t = e.getValue();
      out.add(new ObservedAddress(e.getKey(), t.observers.size(), t.groups.size(), t.groups.size() >= config.minObserverGroups(), t.localPorts));
    }
    out.sort(Comparator.comparingInt(ObservedAddress::groups).reversed().thenComparing(a -> a.address().toString()));
    return out;
  }

  /** The confirmed addresses. */
  public List<ObservedAddress> confirmed(long nowMillis) {
    return addresses(nowMillis).stream().filter(ObservedAddress::confirmed).toList();
  }

  /**
   * Our IP addresses as the internet sees them (the IP part of observed addresses, whatever the
   * port), each confirmed by enough groups. Behind a NAT that does not keep ports this is still
   * what the NAT's outside address is.
   */
  public List<Multiaddr> confirmedIps(long nowMillis) {
    expire(nowMillis);
    Map<Multiaddr, Set<ObserverGroup>> byIp = new LinkedHashMap<>();
    for (Vote v : votes.values()) {
      byIp.computeIfAbsent(Multiaddr.of(List.of(v.observed().components().get(0))), a -> new HashSet<>()).add(v.group());
    }
    List<Multiaddr> out = new ArrayList<>();
    for (var e : byIp.entrySet()) if (e.getValue().size() >= config.minObserverGroups()) out.add(e.getKey());
    return out;
  }

  /** Live votes (for limits and tests). */
  public int size() {
    return votes.size();
  }

  private void expire(long nowMillis) {
    long cutoff = nowMillis - config.ttlMillis();
    votes.values().removeIf(v -> v.atMillis() <= cutoff);
  }

  private void evictOne() {
    Map<ObserverGroup, Integer> perGroup = new HashMap<>();
    ObserverGroup largest = null;
    int most = 0;
    for (Vote v : votes.values()) {
      int n = perGroup.merge(v.group(), 1, Integer::sum);
      if (n > most) {
        most = n;
        largest = v.group();
      }
    }
    var it = votes.values().iterator();
    while (it.hasNext()) {
      if (it.next().group().equals(largest)) {
        it.remove();
        return;
      }
    }
  }

  /** {@code /ip4|ip6/<ip>/tcp/<port>} of {@code a}, dropping what follows; empty if it does not start so. */
  static Optional<Multiaddr> thinWaist(Multiaddr a) {
    if (a == null || a.components().size() < 2) return Optional.empty();
    Multiaddr.Component ip = a.components().get(0);
    Multiaddr.Component tcp = a.components().get(1);
    if ((ip.protocol() != Protocol.IP4 && ip.protocol() != Protocol.IP6) || tcp.protocol() != Protocol.TCP) return Optional.empty();
    return Optional.of(Multiaddr.of(List.of(ip, tcp)));
  }

  static int port(Multiaddr thin) {
    return Integer.parseInt(thin.components().get(1).valueText());
  }

  private static final class Tally {
    final Set<PeerId> observers = new HashSet<>();
    final Set<ObserverGroup> groups = new HashSet<>();
    final Set<Integer> localPorts = new HashSet<>();

    void add(PeerId observer, Vote v) {
      observers.add(observer);
      groups.add(v.group());
      if (v.localPort() >= 0) localPorts.add(v.localPort());
    }
  }
}
