package dev.weft.cli.common;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.traversal.NatConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * NAT traversal options of a long-running node ({@code weft node}): all of it on by default
 * (AutoNAT, relay reservations while private, a relay service for others, DCUtR hole punching,
 * NAT-PMP port mapping), each piece off with its own flag. Port mapping is skipped by itself when
 * every listen address is loopback: there is nothing a router could forward to, and a test on one
 * machine must not talk to the real gateway.
 */
public final class NatOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--relay", paramLabel = "MULTIADDR", split = ",",
      description = "A circuit relay to keep a reservation on whatever AutoNAT says, with /p2p/ (repeatable; at most " + NatConfig.MAX_RELAYS
          + "). Without one, a private node reserves on relays among its connected peers.")
  List<String> relays = new ArrayList<>();

  @Option(names = "--no-nat", description = "Turn all NAT traversal off (still dials relayed addresses and accepts relayed connections).")
  boolean none;

  @Option(names = "--no-autonat", description = "Do not ask peers whether we are reachable (AutoNAT client).")
  boolean noAutonat;

  @Option(names = "--no-autonat-server", description = "Do not answer other peers' AutoNAT requests.")
  boolean noAutonatServer;

  @Option(names = "--no-relay-client", description = "Never reserve a relay slot (others cannot reach a private node then).")
  boolean noRelayClient;

  @Option(names = "--no-relay-service", description = "Do not relay for others (circuit relay v2 hop).")
  boolean noRelayService;

  @Option(names = "--no-hole-punch", description = "Do not upgrade relayed connections to direct ones (DCUtR).")
  boolean noHolePunch;

  @Option(names = "--no-port-mapping", description = "Do not ask the router for a port mapping (NAT-PMP).")
  boolean noPortMapping;

  @Option(names = "--lan", description = "Treat private and loopback addresses as reachable (a LAN or a testnet on one machine).")
  boolean lan;

  /** The config for a node listening on {@code listen}; conflicting flags are a usage error. */
  public NatConfig config(List<String> listen) {
    CommandLine cl = mixee == null ? null : mixee.commandLine();
    List<Multiaddr> parsed = new ArrayList<>();
    for (String r : relays) {
      Multiaddr a;
      try {
        a = Multiaddr.parse(r.trim());
      } catch (IllegalArgumentException e) {
        throw usage(cl, "--relay " + r + ": not a multiaddr (" + e.getMessage() + ")");
      }
      if (a.peerId().isEmpty()) throw usage(cl, "--relay " + r + ": needs /p2p/<relay peer id> at the end");
      parsed.add(a);
    }
    if (parsed.size() > NatConfig.MAX_RELAYS) throw usage(cl, "--relay given " + parsed.size() + " times, at most " + NatConfig.MAX_RELAYS);
    if (!parsed.isEmpty() && (none || noRelayClient)) throw usage(cl, "--relay asks for a reservation, which " + (none ? "--no-nat" : "--no-relay-client") + " turns off");
    if (none) return NatConfig.OFF.withLan(lan);
    boolean allLoopback = !listen.isEmpty();
    for (String l : listen) allLoopback &= l.startsWith("/ip4/127.") || l.startsWith("/ip6/::1/");
    return NatConfig.DEFAULT.withRelays(parsed).withLan(lan)
        .withPieces(!noAutonat, !noAutonatServer, !noRelayClient, !noRelayService, !noHolePunch, !noPortMapping && !allLoopback);
  }

  private static RuntimeException usage(CommandLine cl, String why) {
    return cl == null ? new IllegalArgumentException(why) : new CommandLine.ParameterException(cl, why);
  }
}
