package dev.weft.p2p.protocol.autonat;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Which addresses an AutoNAT server is willing to dial back. Pure. */
public final class DialPolicy {
  private final AutonatServerConfig config;
  private final Predicate<Multiaddr> canDial;

  /** @param canDial whether one of our transports handles the address */
  public DialPolicy(AutonatServerConfig config, Predicate<Multiaddr> canDial) {
    this.config = config;
    this.canDial = canDial;
  }

  /**
   * The address we would dial for {@code requested} ({@code /ip4|ip6/../tcp/..}, without any
   * {@code /p2p} part), or empty: not IP+TCP, relayed, unspecified, private or loopback (unless
   * allowed), or no transport of ours dials it.
   */
  public Optional<Multiaddr> dialable(Multiaddr requested) {
    List<Multiaddr.Component> c = requested.components();
    if (c.size() < 2 || requested.has(Protocol.P2P_CIRCUIT)) return Optional.empty();
    Protocol ip = c.get(0).protocol();
    if ((ip != Protocol.IP4 && ip != Protocol.IP6) || c.get(1).protocol() != Protocol.TCP) return Optional.empty();
    Multiaddr thin = Multiaddr.of(c.subList(0, 2));
    if (thin.isUnspecified() || thin.valueOf(Protocol.TCP).orElse("0").equals("0")) return Optional.empty();
    if (!config.allowPrivateAddresses() && (thin.isPrivate() || thin.isLoopback())) return Optional.empty();
    return canDial.test(thin) ? Optional.of(thin) : Optional.empty();
  }

  /** Whether {@code a} and {@code b} start with the same IP address. */
  public static boolean sameIp(Multiaddr a, Multiaddr b) {
    if (a == null || b == null || a.components().isEmpty() || b.components().isEmpty()) return false;
    Multiaddr.Component x = a.components().get(0);
    Multiaddr.Component y = b.components().get(0);
    return x.protocol() == y.protocol() && (x.protocol() == Protocol.IP4 || x.protocol() == Protocol.IP6) && Arrays.equals(x.value(), y.value());
  }
}
