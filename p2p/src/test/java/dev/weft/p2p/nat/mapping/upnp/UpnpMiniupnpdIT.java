package dev.weft.p2p.nat.mapping.upnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.p2p.nat.mapping.MiniupnpdBed;
import dev.weft.p2p.nat.mapping.PortMappingCheck;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our UPnP IGD client against Debian's miniupnpd on a router made of network namespaces
 * (natbed-up.sh, NAT-PMP turned off with "upnp-only"): discovery by unicast M-SEARCH, the external
 * address, a TCP mapping an "internet" host really connects through, AddAnyPortMapping (the
 * router picks the port), and removal; {@link PortMappingCheck} falls back to UPnP when NAT-PMP does not
 * answer. Needs root, ip, nft and miniupnpd; skips with a message otherwise.
 */
@Timeout(90)
class UpnpMiniupnpdIT {
  static final String GATEWAY = "192.168.77.1";
  @TempDir Path dir;
  boolean up;

  int sh(String script, String... args) throws Exception {
    return MiniupnpdBed.sh(dir, script, args);
  }

  @BeforeAll static void canBuildABed() {
    assumeTrue(MiniupnpdBed.available(), "UPnP bed skipped: " + MiniupnpdBed.NEEDS);
  }

  void bed(String... args) throws Exception {
    sh("natbed-down.sh", dir.toString());
    assertThat(sh("natbed-up.sh", concat(dir.toString(), args))).as("natbed-up.sh").isZero();
    up = true;
  }

  static String[] concat(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @AfterEach void teardown() throws Exception {
    if (up) sh("natbed-down.sh", dir.toString());
  }

  static String fromInternet(String host, int port, String line) throws Exception {
    return MiniupnpdBed.fromInternet(host, port, line);
  }

  static Inet4Address gateway() throws Exception {
    return (Inet4Address) InetAddress.getByName(GATEWAY);
  }

  @Test void mapsAPortTheInternetReachesLetsTheRouterPickOneAndRemovesThem() throws Exception {
    bed("upnp-only");
    UpnpIgdClient c = UpnpIgdClient.discover(gateway(), 3);
    assertThat(c.control().url().toString()).isEqualTo("http://192.168.77.1:5000/ctl/IPConn");
    assertThat(c.localAddress().getHostAddress()).isEqualTo("192.168.77.2");
    assertThat(c.externalAddress()).isEqualTo("11.22.33.1");
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress("192.168.77.2", 0));
      int port = listener.getLocalPort();
      assertThat(fromInternet("11.22.33.1", port, "before")).as("no mapping yet").doesNotContain("sent");
      c.addPortMapping(port, port, 120, "weft-test");
      listener.setSoTimeout(5000);
      assertThat(fromInternet("11.22.33.1", port, "hello")).contains("sent");
      try (Socket s = listener.accept()) {
        assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("hello");
      }
      // IGD v2's AddAnyPortMapping: the router picks the external port (what a conflict falls back to).
      int other = c.addAnyPortMapping(port + 1, port + 1, 120, "weft-test");
      assertThat(other).isBetween(1024, 65535);
      c.deletePortMapping(other);
      c.deletePortMapping(port);
      assertThat(fromInternet("11.22.33.1", port, "after")).as("mapping removed").doesNotContain("sent");
    }
  }

  @Test void withoutNatPmpThePortMappingCheckFallsBackToUpnp() throws Exception {
    bed("upnp-only");
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress("192.168.77.2", 0));
      int port = listener.getLocalPort();
      PortMappingCheck.Status s = PortMappingCheck.map(Optional.of(gateway()), port, 120, 2);
      assertThat(s.mapped()).as(String.valueOf(s.error())).isTrue();
      assertThat(s.method()).isEqualTo("UPnP");
      assertThat(s.externalIp()).isEqualTo("11.22.33.1");
      listener.setSoTimeout(5000);
      assertThat(fromInternet("11.22.33.1", s.externalPort(), "hello")).contains("sent");
      try (Socket ignored = listener.accept()) {
        // reached through the UPnP mapping
      }
      PortMappingCheck.remove(s, 2);
      assertThat(fromInternet("11.22.33.1", s.externalPort(), "after")).as("removed").doesNotContain("sent");
    }
  }

  @Test void aRouterWithBothIsMappedByNatPmpFirst() throws Exception {
    bed();
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress("192.168.77.2", 0));
      PortMappingCheck.Status s = PortMappingCheck.map(Optional.of(gateway()), listener.getLocalPort(), 120, 2);
      assertThat(s.mapped()).isTrue();
      assertThat(s.method()).isEqualTo("NAT-PMP");
      PortMappingCheck.remove(s, 2);
    }
  }

  @Test void aGatewayWithoutUpnpTimesOutInBoundedTime() throws Exception {
    bed();
    long t0 = System.nanoTime();
    try {
      UpnpIgdClient.discover((Inet4Address) InetAddress.getByName("192.168.77.3"), 2);
      throw new AssertionError("an absent gateway answered");
    } catch (java.util.concurrent.TimeoutException expected) {
      assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1_400L, 4_000L); // 500 + 1000 ms
    }
  }
}
