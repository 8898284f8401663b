package dev.weft.p2p.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15's slowloris over real loopback TCP: an attacker at 127.0.1.2 opens a burst of 260
 * silent connections, then 30 a second (the script did about 25), holding up to 300 that
 * never send a byte, while an honest client at 127.0.0.1 (another /24) makes a new connection and
 * pings for each of its pings. With the default limits the attacker gets its share of pending
 * slots (8) and the honest client gets in; with the old limits (256 pending, 10 s, no share) the
 * same script locks it out. The window lies inside the old 10 s deadline, as in the issue.
 */
@Timeout(90)
class SilentConnectionFloodTest {
  static final int HONEST_PINGS = 60;
  HostBuilder.Built server;
  HostBuilder.Built client;
  SilentAttacker attacker;

  @AfterEach void close() throws Exception {
    if (attacker != null) attacker.close();
    if (client != null) client.host().close();
    if (server != null) server.host().close();
  }

  private HonestPinger.Result flood(ResourceLimits limits, String attackerSource) throws Exception {
    server = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(1)).transport(TcpTransport::new)
        .resourceLimits(limits).listen("/ip4/127.0.0.1/tcp/0").buildWithServices();
    server.host().start().join();
    Multiaddr addr = server.host().listenAddresses().get(0);
    client = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(2)).transport(TcpTransport::new).buildWithServices();
    // Warm the client's JIT and event loop on the quiet server first.
    assertThat(HonestPinger.run(client, addr.withPeerId(server.host().peerId()), 3, 0, 5_000).succeeded()).isEqualTo(3);
    attacker = new SilentAttacker(attackerSource, new InetSocketAddress("127.0.0.1", addr.toInetSocketAddress().getPort()), 260, 30, 300).start();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (attacker.opened.get() < 260 && System.nanoTime() < deadline) Thread.sleep(10);
    Thread.sleep(300);
    HonestPinger.Result r = HonestPinger.run(client, addr.withPeerId(server.host().peerId()), HONEST_PINGS, 40, 3_000);
    assertThat(attacker.failure).isNull();
    System.out.println(limits == ResourceLimits.DEFAULT ? "default limits: " : "old limits: ");
    System.out.println("  " + r + "; " + attacker + "; server " + server.host().resourceManager().snapshot());
    return r;
  }

  @Test void honestPingsSucceedWhileOneSourceHoldsHundredsOfSilentConnections() throws Exception {
    HonestPinger.Result r = flood(ResourceLimits.DEFAULT, "127.0.1.2");
    assertThat(attacker.opened.get()).as("the attack really ran").isGreaterThanOrEqualTo(260);
    assertThat(r.rate()).as(r.toString()).isGreaterThanOrEqualTo(0.99);
    ResourceSnapshot s = server.host().resourceManager().snapshot();
    assertThat(s.refusedConnections()).as("the attacker was refused beyond its share").isGreaterThan(200);
  }

  @Test void theSameFloodLocksHonestPeersOutUnderTheOldLimits() throws Exception {
    HonestPinger.Result r = flood(ResourceLimits.legacy(), "127.0.1.2");
    assertThat(attacker.maxHeld.get()).isGreaterThanOrEqualTo(256);
    assertThat(r.rate()).as(r.toString()).isLessThan(0.2);
  }
}
