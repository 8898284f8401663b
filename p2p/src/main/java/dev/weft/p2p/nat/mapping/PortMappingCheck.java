package dev.weft.p2p.nat.mapping;

import java.io.IOException;
import java.net.Inet4Address;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * `weft doctor`'s port-mapping step: ask the router (NAT-PMP at the default gateway) to map our
 * TCP listen port for a short lease, so that AutoNAT can test the mapped address; remove it
 * afterwards. Blocking.
 */
public final class PortMappingCheck {
  private PortMappingCheck() {}

  /**
   * @param gateway null when none was found
   * @param externalIp and externalPort set when a mapping was granted
   * @param error why not, or null
   */
  public record Status(Inet4Address gateway, String externalIp, int externalPort, int internalPort, long lifetimeSeconds, String error) {
    public boolean mapped() {
      return error == null && externalIp != null;
    }
  }

  public static Status map(Optional<Inet4Address> gateway, int internalPort, long lifetimeSeconds, int attempts) {
    if (gateway.isEmpty()) return new Status(null, null, 0, internalPort, 0, "no IPv4 default gateway found");
    NatPmpClient c = new NatPmpClient(gateway.get(), attempts);
    try {
      NatPmpCodec.ExternalAddress ext = c.externalAddress();
      if (ext.result() != NatPmpCodec.Result.SUCCESS) return new Status(gateway.get(), null, 0, internalPort, 0, "router refused: " + ext.result());
      NatPmpCodec.Mapping m = c.map(NatPmpCodec.OP_MAP_TCP, internalPort, internalPort, lifetimeSeconds);
      if (m.result() != NatPmpCodec.Result.SUCCESS) return new Status(gateway.get(), ext.address().getHostAddress(), 0, internalPort, 0, "router refused the mapping: " + m.result());
      return new Status(gateway.get(), ext.address().getHostAddress(), m.externalPort(), internalPort, m.lifetimeSeconds(), null);
    } catch (TimeoutException e) {
      return new Status(gateway.get(), null, 0, internalPort, 0, "no NAT-PMP answer from the router (UPnP/NAT-PMP off or unsupported)");
    } catch (IOException e) {
      return new Status(gateway.get(), null, 0, internalPort, 0, "NAT-PMP failed: " + e.getMessage());
    }
  }

  /** Removes a mapping {@link #map} made; best effort. */
  public static void remove(Status s, int attempts) {
    if (!s.mapped()) return;
    try {
      new NatPmpClient(s.gateway(), attempts).map(NatPmpCodec.OP_MAP_TCP, s.internalPort(), 0, 0);
    } catch (IOException | TimeoutException e) {
      // the lease runs out by itself
    }
  }
}
