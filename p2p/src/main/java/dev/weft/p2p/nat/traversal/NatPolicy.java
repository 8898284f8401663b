package dev.weft.p2p.nat.traversal;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.relay.RelayProtocol;
import dev.weft.p2p.protocol.autonat.AutonatProtocol;
import dev.weft.p2p.protocol.autonat.Reachability;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a running node should do about NAT, decided from what it has heard: an I/O-free state
 * machine, told what happened ({@link #identified}, {@link #gone}, {@link #candidates},
 * {@link #probeDone}) and asked what to do ({@link #tick}), with time as an argument.
 * {@link NatTraversal} is its adapter on a host.
 *
 * <p>Reachability comes from AutoNAT when we have a public address worth testing, and is
 * <em>private</em> when, after a grace period, we have none at all: a node whose every address is
 * private or loopback and that no peer has seen at a public one cannot be dialled from the
 * internet, and waiting for an AutoNAT verdict on nothing would leave it unreachable for good.
 *
 * <pre>
 *   UNKNOWN --no public address after the grace--> PRIVATE
 *   UNKNOWN --AutoNAT: k servers agree------------> PUBLIC or PRIVATE
 *   any     --AutoNAT verdict changes-------------> the new verdict (probes go on: routers reboot)
 * </pre>
 *
 * While private, it keeps {@link NatConfig#wantRelays()} reservations: the configured relays
 * (which the relay client always keeps) and then connected peers that speak hop, first seen
 * first, over a direct connection only; a kept relay that disconnects is dropped and replaced.
 * While public, relays found at run time are dropped (the configured ones stay: the user asked);
 * while unknown again (a new address being tested), those held are kept and none are added, so a
 * private node does not lose its relays each time it learns an address.
 * Not thread-safe: the adapter confines it to the host's scheduler.
 */
public final class NatPolicy {
  /** What the adapter should do now. */
  public sealed interface Action {
    /** Ask {@code servers} whether {@code addresses} are reachable; report with {@link #probeDone}. */
    record Probe(List<PeerId> servers, List<Multiaddr> addresses) implements Action {}

    /** Reserve on {@code relay} and keep it refreshed ({@code RelayClient.keep}). */
    record Reserve(Multiaddr relay) implements Action {}

    /** Stop keeping a reservation on {@code relay} ({@code RelayClient.drop}). */
    record Drop(PeerId relay) implements Action {}

    /** Reachability changed: a line for the volunteer's log. */
    record Changed(Reachability.Status from, Reachability.Status to, String why) implements Action {}
  }

  /** Where we stand, for {@code weft node}'s status and the dashboard. */
  public record Status(Reachability.Status reachability, String why, List<PeerId> servers, List<Multiaddr> keptRelays,
      int hopPeers, List<Multiaddr> candidates, List<Multiaddr> hops) {}

  private final NatConfig config;
  private final long startMillis;
  /** Peers that answer AutoNAT, over a direct connection, first seen first. */
  private final LinkedHashMap<PeerId, Boolean> servers = new LinkedHashMap<>();
  /** Peers that speak hop, with the address we reach them at directly, first seen first. */
  private final LinkedHashMap<PeerId, Multiaddr> hops = new LinkedHashMap<>();
  /** Relays found at run time that we keep a reservation on. */
  private final LinkedHashMap<PeerId, Multiaddr> kept = new LinkedHashMap<>();
  private final Set<PeerId> configured = new HashSet<>();
  private List<Multiaddr> candidates = List.of();
  private Reachability.Status probed = Reachability.Status.UNKNOWN;
  private boolean probing;
  private long nextProbeAt;
  private Reachability.Status status = Reachability.Status.UNKNOWN;
  private String why = "not tested yet";

  public NatPolicy(NatConfig config, long startMillis) {
    this.config = config;
    this.startMillis = startMillis;
    this.nextProbeAt = startMillis;
    for (Multiaddr r : config.relays()) configured.add(r.peerId().orElseThrow());
  }

  /**
   * {@code peer} identified itself with {@code protocols}; {@code direct} is where we reach it over
   * a direct connection, null if we only have a relayed one (which teaches us nothing: a relay
   * behind a relay is no use, and AutoNAT over a relay tests the relay).
   */
  public void identified(PeerId peer, Collection<String> protocols, Multiaddr direct) {
    if (direct == null) return;
    if (protocols.contains(AutonatProtocol.V2_DIAL_REQUEST) || protocols.contains(AutonatProtocol.V1_ID)) {
      servers.putIfAbsent(peer, Boolean.TRUE);
    } else {
      servers.remove(peer);
    }
    // Off a LAN, a hop at a private address is one that others cannot reach either.
    boolean usableHop = config.lan() || !(direct.isPrivate() || direct.isLoopback());
    if (protocols.contains(RelayProtocol.HOP) && usableHop && !configured.contains(peer)) {
      hops.putIfAbsent(peer, direct.withPeerId(peer));
    } else {
      hops.remove(peer);
    }
  }

  /** We no longer hold a direct connection to {@code peer}. */
  public void gone(PeerId peer) {
    servers.remove(peer);
    hops.remove(peer);
  }

  /** The addresses worth testing now: public listen, confirmed observed, mapped ({@code lan}: private ones too). */
  public void candidates(List<Multiaddr> addresses) {
    this.candidates = List.copyOf(addresses);
  }

  /** A probe ended with the node's verdict (UNKNOWN when too few servers agreed or answered). */
  public void probeDone(Reachability.Status node, long nowMillis) {
    probing = false;
    probed = node;
    nextProbeAt = nowMillis + (node == Reachability.Status.UNKNOWN ? config.probeUnknownMillis() : config.probeKnownMillis());
  }

  /** A probe failed as a whole (every server errored); try again at the short interval. */
  public void probeFailed(long nowMillis) {
    probing = false;
    nextProbeAt = nowMillis + config.probeUnknownMillis();
  }

  public List<Action> tick(long nowMillis) {
    List<Action> out = new ArrayList<>();
    Reachability.Status next = status;
    String nextWhy = why;
    if (candidates.isEmpty()) {
      if (nowMillis - startMillis >= config.noAddressGraceMillis()) {
        next = Reachability.Status.PRIVATE;
        nextWhy = config.lan() ? "no address to test" : "no public address: every address we have is private or loopback, and no peer has seen us at a public one";
      }
    } else if (!config.autonat()) {
      next = Reachability.Status.UNKNOWN;
      nextWhy = "AutoNAT is off";
    } else {
      next = probed;
      nextWhy = switch (probed) {
        case PUBLIC -> "AutoNAT servers dialled us back";
        case PRIVATE -> "AutoNAT servers could not dial us back";
        case UNKNOWN -> servers.isEmpty() ? "no AutoNAT server connected yet" : "fewer than " + config.confirmations() + " servers agree yet";
      };
      if (!probing && nowMillis >= nextProbeAt && !servers.isEmpty()) {
        probing = true;
        List<PeerId> ask = new ArrayList<>();
        for (PeerId s : servers.keySet()) {
          if (ask.size() >= config.maxServers()) break;
          ask.add(s);
        }
        out.add(new Action.Probe(List.copyOf(ask), candidates));
      }
    }
    if (next != status) out.add(new Action.Changed(status, next, nextWhy));
    status = next;
    why = nextWhy;
    if (config.relayClient()) relays(out);
    return out;
  }

  private void relays(List<Action> out) {
    for (var it = kept.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<PeerId, Multiaddr> e = it.next();
      if (status == Reachability.Status.PUBLIC || !hops.containsKey(e.getKey())) {
        out.add(new Action.Drop(e.getKey()));
        it.remove();
      }
    }
    if (status != Reachability.Status.PRIVATE) return;
    int need = config.wantRelays() - configured.size() - kept.size();
    for (Map.Entry<PeerId, Multiaddr> h : hops.entrySet()) {
      if (need <= 0) break;
      if (kept.containsKey(h.getKey())) continue;
      kept.put(h.getKey(), h.getValue());
      out.add(new Action.Reserve(h.getValue()));
      need--;
    }
  }

  public Status status() {
    return new Status(status, why, List.copyOf(servers.keySet()), List.copyOf(kept.values()), hops.size(), candidates, List.copyOf(hops.values()));
  }
}
