package dev.weft.p2p.nat.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our NAT-PMP client against Debian's miniupnpd on a router made of network namespaces
 * (natbed-up.sh): the external address, a TCP mapping that an "internet" host really connects
 * through, and its removal. Needs root, ip, nft and miniupnpd; skips with a message otherwise.
 */
@Timeout(60)
class NatPmpMiniupnpdIT {
  @TempDir static Path dir;
  static boolean up;

  static int sh(String script, String... args) throws Exception {
    return MiniupnpdBed.sh(dir, script, args);
  }

  @BeforeAll static void bed() throws Exception {
    assumeTrue(MiniupnpdBed.available(), "NAT bed skipped: " + MiniupnpdBed.NEEDS);
    sh("natbed-down.sh", dir.toString());
    assertThat(sh("natbed-up.sh", dir.toString())).as("natbed-up.sh").isZero();
    up = true;
  }

  @AfterAll static void teardown() throws Exception {
    if (up) sh("natbed-down.sh", dir.toString());
  }

  static String fromInternet(String host, int port, String line) throws Exception {
    return MiniupnpdBed.fromInternet(host, port, line);
  }

  @Test void mapsAListenPortThatTheInternetThenReachesAndRemovesIt() throws Exception {
    NatPmpClient client = new NatPmpClient(InetAddress.getByName("192.168.77.1"), 4);
    NatPmpCodec.ExternalAddress ext = client.externalAddress();
    assertThat(ext.result()).isEqualTo(NatPmpCodec.Result.SUCCESS);
    assertThat(ext.address().getHostAddress()).isEqualTo("11.22.33.1");
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress("192.168.77.2", 0));
      int port = listener.getLocalPort();
      assertThat(fromInternet("11.22.33.1", port, "before")).as("no mapping yet").doesNotContain("sent");
      NatPmpCodec.Mapping m = client.map(NatPmpCodec.OP_MAP_TCP, port, port, 120);
      assertThat(m.result()).isEqualTo(NatPmpCodec.Result.SUCCESS);
      assertThat(m.internalPort()).isEqualTo(port);
      assertThat(m.lifetimeSeconds()).isPositive().isLessThanOrEqualTo(120);
      MappingLease lease = new MappingLease();
      lease.granted(m.externalPort(), m.lifetimeSeconds(), 0);
      assertThat(lease.valid(0)).isTrue();
      listener.setSoTimeout(5000);
      assertThat(fromInternet("11.22.33.1", m.externalPort(), "hello")).contains("sent");
      try (Socket s = listener.accept()) {
        assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(((InetSocketAddress) s.getRemoteSocketAddress()).getAddress().getHostAddress()).isEqualTo("11.22.33.2");
      }
      NatPmpCodec.Mapping removed = client.map(NatPmpCodec.OP_MAP_TCP, port, 0, 0);
      assertThat(removed.result()).isEqualTo(NatPmpCodec.Result.SUCCESS);
      assertThat(removed.lifetimeSeconds()).isZero();
      assertThat(fromInternet("11.22.33.1", m.externalPort(), "after")).as("mapping removed").doesNotContain("sent");
    }
  }

  @Test void aGatewayThatDoesNotAnswerTimesOutInBoundedTime() throws Exception {
    NatPmpClient silent = new NatPmpClient(InetAddress.getByName("192.168.77.3"), 3);
    long t0 = System.nanoTime();
    try {
      silent.externalAddress();
      throw new AssertionError("an absent gateway answered");
    } catch (java.util.concurrent.TimeoutException expected) {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).isBetween(1_700L, 5_000L); // 250 + 500 + 1000 ms
    }
  }
}
