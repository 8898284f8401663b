package dev.weft.p2p.host;

import dev.weft.p2p.multiformats.Multiaddr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.protocol.identify.IdentifyInfo;
import dev.weft.p2p.protocol.identify.IdentifyProtocol;
import dev.weft.p2p.protocol.perf.PerfProtocol;
import dev.weft.p2p.protocol.perf.PerfResult;
import dev.weft.p2p.protocol.ping.PingProtocol;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two hosts over real TCP + Noise + Yamux on loopback. */
@Timeout(60)
class TcpHostIT {
  HostBuilder.Built a;
  HostBuilder.Built b;

  static HostBuilder.Built start(long seed) {
    HostBuilder.Built h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new)
        .listen("/ip4/127.0.0.1/tcp/0").perf(true).buildWithServices();
    h.host().start().join();
    return h;
  }

  @AfterEach void close() {
    if (a != null) a.host().close();
    if (b != null) b.host().close();
  }

  @Test void identifyPingAndPerfOverTcp() throws Exception {
    a = start(1);
    b = start(2);
    assertThat(b.host().listenAddresses().get(0).toString()).startsWith("/ip4/127.0.0.1/tcp/").doesNotEndWith("/tcp/0");
    Connection c = a.host().dial(b.host().listenAddresses().get(0).withPeerId(b.host().peerId())).get(10, TimeUnit.SECONDS);
    assertThat(c.remotePeer()).isEqualTo(b.host().peerId());
    IdentifyInfo info = a.identify().identify(c).get(10, TimeUnit.SECONDS);
    assertThat(info.protocols()).contains(IdentifyProtocol.ID, PingProtocol.ID, PerfProtocol.ID);
    assertThat(info.listenAddrs()).containsExactlyElementsOf(b.host().listenAddresses());
    assertThat(info.observedAddr()).isNotNull();
    List<Double> rtts = a.ping().ping(b.host().peerId(), 5).get(10, TimeUnit.SECONDS);
    assertThat(rtts).hasSize(5).allMatch(r -> r >= 0 && r < 1000);
    PerfResult r = a.perf().run(b.host().peerId(), 10 << 20, 10 << 20).get(30, TimeUnit.SECONDS);
    assertThat(r.uploadBytes()).isEqualTo(10 << 20);
    assertThat(r.downloadBytes()).isEqualTo(10 << 20);
    // b identified a too (automatic identify on the inbound connection).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (b.host().peerStore().protocols(a.host().peerId()).isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(b.host().peerStore().protocols(a.host().peerId())).contains(IdentifyProtocol.PUSH_ID);
    // b's identify carried its signed peer record; a verified it and keeps its addresses as certified.
    assertThat(info.signedPeerRecord()).isNotNull();
    assertThat(a.identify().certifiedAddresses(b.host().peerId())).containsExactlyElementsOf(b.host().listenAddresses());
  }

  @Test void unspecifiedListenAddressesAreAdvertisedAsInterfaceAddresses() throws Exception {
    a = start(1);
    b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(3)).transport(TcpTransport::new).listen("/ip4/0.0.0.0/tcp/0").buildWithServices();
    b.host().start().join();
    Multiaddr bound = b.host().listenAddresses().get(0);
    assertThat(bound.isUnspecified()).isTrue();
    String port = bound.valueOf(dev.weft.p2p.multiformats.Protocol.TCP).orElseThrow();
    Connection c = a.host().dial(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port).withPeerId(b.host().peerId())).get(10, TimeUnit.SECONDS);
    IdentifyInfo info = a.identify().identify(c).get(10, TimeUnit.SECONDS);
    assertThat(info.listenAddrs()).contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port)).noneMatch(Multiaddr::isUnspecified);
    assertThat(a.identify().certifiedAddresses(b.host().peerId())).containsExactlyElementsOf(info.listenAddrs());
  }
}
