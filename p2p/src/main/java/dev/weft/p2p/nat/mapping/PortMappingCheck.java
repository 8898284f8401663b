package dev.weft.p2p.nat.mapping;

import dev.weft.p2p.nat.mapping.upnp.UpnpIgdClient;
import dev.weft.p2p.nat.mapping.upnp.UpnpSoap;
import java.io.IOException;
import java.net.Inet4Address;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Asks the router at the default gateway to map our TCP listen port: NAT-PMP first (one UDP
 * round trip), then UPnP IGD (SSDP to the gateway, its description, SOAP). What `weft doctor`
 * does for a short lease and removes afterwards, and what a node keeps renewed. Blocking.
 */
public final class PortMappingCheck {
  private PortMappingCheck() {}

  /** Named in the router's table, so its owner can tell what opened the port. */
  public static final String DESCRIPTION = "weft";

  /**
   * @param gateway null when none was found
   * @param externalIp and externalPort set when a mapping was granted
   * @param error why not, or null
   * @param method "NAT-PMP" or "UPnP" for a mapping granted, else null
   * @param upnp the UPnP client that made it (to renew and remove it), null otherwise
   */
  public record Status(Inet4Address gateway, String externalIp, int externalPort, int internalPort, long lifetimeSeconds, String error,
      String method, UpnpIgdClient upnp) {
    public Status(Inet4Address gateway, String externalIp, int externalPort, int internalPort, long lifetimeSeconds, String error) {
      this(gateway, externalIp, externalPort, internalPort, lifetimeSeconds, error, error == null && externalIp != null ? "NAT-PMP" : null, null);
    }

    public boolean mapped() {
      return error == null && externalIp != null;
    }
  }

  /** NAT-PMP, then UPnP IGD; the error names both when neither maps. */
  public static Status map(Optional<Inet4Address> gateway, int internalPort, long lifetimeSeconds, int attempts) {
    Status pmp = mapNatPmp(gateway, internalPort, lifetimeSeconds, attempts);
    if (pmp.mapped() || gateway.isEmpty()) return pmp;
    Status upnp = mapUpnp(gateway.get(), internalPort, lifetimeSeconds, attempts);
    if (upnp.mapped()) return upnp;
    return new Status(gateway.get(), null, 0, internalPort, 0, "NAT-PMP: " + pmp.error() + "; UPnP: " + upnp.error(), null, null);
  }

  public static Status mapNatPmp(Optional<Inet4Address> gateway, int internalPort, long lifetimeSeconds, int attempts) {
    if (gateway.isEmpty()) return new Status(null, null, 0, internalPort, 0, "no IPv4 default gateway found");
    NatPmpClient c = new NatPmpClient(gateway.get(), attempts);
    try {
      NatPmpCodec.ExternalAddress ext = c.externalAddress();
      if (ext.result() != NatPmpCodec.Result.SUCCESS) return new Status(gateway.get(), null, 0, internalPort, 0, "router refused: " + ext.result());
      NatPmpCodec.Mapping m = c.map(NatPmpCodec.OP_MAP_TCP, internalPort, internalPort, lifetimeSeconds);
      if (m.result() != NatPmpCodec.Result.SUCCESS) return new Status(gateway.get(), ext.address().getHostAddress(), 0, internalPort, 0, "router refused the mapping: " + m.result());
      return new Status(gateway.get(), ext.address().getHostAddress(), m.externalPort(), internalPort, m.lifetimeSeconds(), null, "NAT-PMP", null);
    } catch (TimeoutException e) {
      return new Status(gateway.get(), null, 0, internalPort, 0, "no NAT-PMP answer from the router (NAT-PMP off or unsupported)");
    } catch (IOException e) {
      return new Status(gateway.get(), null, 0, internalPort, 0, "NAT-PMP failed: " + e.getMessage());
    }
  }

  /**
   * UPnP IGD: the same external port as ours if free; on a conflict, IGD v2's AddAnyPortMapping
   * (the router picks); a router that only keeps permanent mappings gets lease 0, which
   * {@link #remove} then undoes.
   */
  public static Status mapUpnp(Inet4Address gateway, int internalPort, long lifetimeSeconds, int attempts) {
    UpnpIgdClient c;
    try {
      c = UpnpIgdClient.discover(gateway, attempts);
    } catch (TimeoutException e) {
      return new Status(gateway, null, 0, internalPort, 0, "no UPnP answer from the router (UPnP off or unsupported)");
    } catch (IOException e) {
      return new Status(gateway, null, 0, internalPort, 0, "UPnP discovery failed: " + e.getMessage());
    }
    try {
      String ip = c.externalAddress();
      long lease = lifetimeSeconds;
      int external = internalPort;
      try {
        c.addPortMapping(external, internalPort, lease, DESCRIPTION);
      } catch (UpnpSoap.UpnpError e) {
        if (e.code() == UpnpSoap.ONLY_PERMANENT_LEASES_SUPPORTED) {
          lease = 0;
          c.addPortMapping(external, internalPort, lease, DESCRIPTION);
        } else if (e.code() == UpnpSoap.CONFLICT_IN_MAPPING_ENTRY) {
          external = c.addAnyPortMapping(internalPort, internalPort, lease, DESCRIPTION);
        } else {
          throw e;
        }
      }
      return new Status(gateway, ip, external, internalPort, lease, null, "UPnP", c);
    } catch (UpnpSoap.UpnpError e) {
      return new Status(gateway, null, 0, internalPort, 0, "router refused the UPnP mapping: " + e.getMessage());
    } catch (IOException e) {
      return new Status(gateway, null, 0, internalPort, 0, "UPnP failed: " + e.getMessage());
    }
  }

  /** Removes a mapping {@link #map} made; best effort (a NAT-PMP lease also runs out by itself). */
  public static void remove(Status s, int attempts) {
    if (!s.mapped()) return;
    try {
      if (s.upnp() != null) s.upnp().deletePortMapping(s.externalPort());
      else new NatPmpClient(s.gateway(), attempts).map(NatPmpCodec.OP_MAP_TCP, s.internalPort(), 0, 0);
    } catch (IOException | TimeoutException | UpnpSoap.UpnpError e) {
      // best effort
    }
  }
}
