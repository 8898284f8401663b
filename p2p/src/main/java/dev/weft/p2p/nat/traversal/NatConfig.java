package dev.weft.p2p.nat.traversal;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;

/**
 * What a long-running node does about NAT ({@link NatTraversal}): every piece on by default, each
 * one can be turned off. Validated on construction.
 *
 * @param autonat ask connected AutoNAT servers whether our addresses are reachable
 * @param autonatServer answer other peers' AutoNAT requests (rate-limited, amplification-proof)
 * @param relayClient reserve a slot on relays while we are private (configured ones always, and up
 *     to {@code wantRelays} found among connected peers that speak hop); off still lets us dial
 *     through relays and accept relayed connections
 * @param relayService be a circuit relay v2 hop for others (with {@code RelayConfig.DEFAULT}'s
 *     limits on reservations, circuits, bytes and duration)
 * @param holePunch DCUtR: turn inbound relayed connections into direct ones
 * @param portMapping ask the default gateway for a port mapping (NAT-PMP), renew it, remove it on
 *     exit; the mapped address is advertised only once AutoNAT has confirmed it
 * @param relays relays to reserve on whatever AutoNAT says, each ending in {@code /p2p/RELAY}
 * @param wantRelays reservations to hold while private, configured ones included
 * @param maxServers AutoNAT servers asked per probe
 * @param confirmations agreeing servers a reachability verdict needs
 * @param lan test and advertise private and loopback addresses too (LANs, a loopback testnet):
 *     then a node on 127.0.0.1 can be "public" to its neighbours
 * @param probeUnknownMillis time between probes while reachability is unknown
 * @param probeKnownMillis time between probes once it is known (it can change: a router reboots)
 * @param noAddressGraceMillis how long to wait for identify to tell us a public address before we
 *     call ourselves private for want of one
 * @param tickMillis how often the policy is asked what to do
 */
public record NatConfig(boolean autonat, boolean autonatServer, boolean relayClient, boolean relayService, boolean holePunch,
    boolean portMapping, List<Multiaddr> relays, int wantRelays, int maxServers, int confirmations, boolean lan,
    long probeUnknownMillis, long probeKnownMillis, long noAddressGraceMillis, long tickMillis) {
  /** A volunteer's node: all on, no configured relay, two reservations while private, three agreeing servers. */
  public static final NatConfig DEFAULT = new NatConfig(true, true, true, true, true, true, List.of(), 2, 5, 3, false,
      30_000, 15 * 60_000, 20_000, 1_000);
  /** Nothing but dialling through relays and accepting relayed connections. */
  public static final NatConfig OFF = new NatConfig(false, false, false, false, false, false, List.of(), 2, 5, 3, false,
      30_000, 15 * 60_000, 20_000, 1_000);
  /** Relays a node may be told to reserve on: each is refreshed for as long as the node runs. */
  public static final int MAX_RELAYS = 16;

  public NatConfig {
    relays = List.copyOf(relays);
    if (relays.size() > MAX_RELAYS) throw new IllegalArgumentException("at most " + MAX_RELAYS + " relays: " + relays.size());
    for (Multiaddr r : relays) {
      if (r.peerId().isEmpty()) throw new IllegalArgumentException("a relay address must end in /p2p/<relay id>: " + r);
    }
    if (wantRelays < 0 || wantRelays > MAX_RELAYS) throw new IllegalArgumentException("wantRelays must be 0.." + MAX_RELAYS + ": " + wantRelays);
    if (maxServers < 1 || maxServers > 32) throw new IllegalArgumentException("maxServers must be 1..32: " + maxServers);
    if (confirmations < 1 || confirmations > maxServers) throw new IllegalArgumentException("confirmations must be 1..maxServers (" + maxServers + "): " + confirmations);
    if (probeUnknownMillis < 100) throw new IllegalArgumentException("probeUnknownMillis must be at least 100: " + probeUnknownMillis);
    if (probeKnownMillis < probeUnknownMillis) throw new IllegalArgumentException("probeKnownMillis must be at least probeUnknownMillis");
    if (noAddressGraceMillis < 0) throw new IllegalArgumentException("noAddressGraceMillis must not be negative");
    if (tickMillis < 10) throw new IllegalArgumentException("tickMillis must be at least 10: " + tickMillis);
  }

  public NatConfig withRelays(List<Multiaddr> r) {
    return new NatConfig(autonat, autonatServer, relayClient, relayService, holePunch, portMapping, r, wantRelays, maxServers,
        confirmations, lan, probeUnknownMillis, probeKnownMillis, noAddressGraceMillis, tickMillis);
  }

  public NatConfig withLan(boolean on) {
    return new NatConfig(autonat, autonatServer, relayClient, relayService, holePunch, portMapping, relays, wantRelays, maxServers,
        confirmations, on, probeUnknownMillis, probeKnownMillis, noAddressGraceMillis, tickMillis);
  }

  public NatConfig withConfirmations(int k) {
    return new NatConfig(autonat, autonatServer, relayClient, relayService, holePunch, portMapping, relays, wantRelays, maxServers,
        k, lan, probeUnknownMillis, probeKnownMillis, noAddressGraceMillis, tickMillis);
  }

  public NatConfig withTiming(long probeUnknown, long probeKnown, long noAddressGrace, long tick) {
    return new NatConfig(autonat, autonatServer, relayClient, relayService, holePunch, portMapping, relays, wantRelays, maxServers,
        confirmations, lan, probeUnknown, probeKnown, noAddressGrace, tick);
  }

  /** The same with the named pieces on or off. */
  public NatConfig withPieces(boolean autonat, boolean autonatServer, boolean relayClient, boolean relayService, boolean holePunch,
      boolean portMapping) {
    return new NatConfig(autonat, autonatServer, relayClient, relayService, holePunch, portMapping, relays, wantRelays, maxServers,
        confirmations, lan, probeUnknownMillis, probeKnownMillis, noAddressGraceMillis, tickMillis);
  }

  public NatConfig withoutPortMapping() {
    return withPieces(autonat, autonatServer, relayClient, relayService, holePunch, false);
  }

  /** One line for a status message: which pieces are on. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    piece(b, "autonat", autonat);
    piece(b, "autonat-server", autonatServer);
    piece(b, "relay-client", relayClient);
    piece(b, "relay-service", relayService);
    piece(b, "hole-punch", holePunch);
    piece(b, "port-mapping", portMapping);
    if (!relays.isEmpty()) b.append(", ").append(relays.size()).append(" configured relay(s)");
    if (lan) b.append(", lan");
    return b.toString();
  }

  private static void piece(StringBuilder b, String name, boolean on) {
    if (!b.isEmpty()) b.append(' ');
    b.append(on ? "+" : "-").append(name);
  }
}
