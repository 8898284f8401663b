package dev.weft.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.AutonatClient;
import dev.weft.p2p.protocol.autonat.AutonatClientConfig;
import dev.weft.p2p.protocol.autonat.AutonatServer;
import dev.weft.p2p.protocol.autonat.AutonatServerConfig;
import dev.weft.p2p.protocol.autonat.Reachability;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole check `weft doctor` runs, against three AutoNAT servers on loopback (127.1/127.2/127.3: three groups). */
@Timeout(120)
class NatCheckIT {
  final List<BasicHost> hosts = new ArrayList<>();

  @AfterEach void close() {
    hosts.forEach(BasicHost::close);
  }

  List<Multiaddr> servers(int n, boolean autonat) {
    List<Multiaddr> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      BasicHost h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(100 + i)).transport(TcpTransport::new)
          .listen("/ip4/127." + i + ".0.1/tcp/0").build();
      h.start().join();
      hosts.add(h);
      if (autonat) AutonatServer.install(h, AutonatServerConfig.DEFAULT.withAllowPrivateAddresses(true));
      out.add(h.listenAddresses().get(0).withPeerId(h.peerId()));
    }
    return out;
  }

  NatReport check(List<Multiaddr> peers, boolean includePrivate, List<Multiaddr> alsoTest) throws Exception {
    HostBuilder.Built self = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(1)).transport(TcpTransport::new)
        .listen("/ip4/127.0.0.1/tcp/0").buildWithServices();
    self.host().start().join();
    hosts.add(self.host());
    AutonatClient client = AutonatClient.install(self.host(), AutonatClientConfig.DEFAULT, new Random(1));
    ObservedAddressCollector collector = ObservedAddressCollector.attach(self.identify(), self.host().scheduler(),
        ObservedAddressConfig.DEFAULT, self.host()::listenAddresses);
    return NatCheck.run(self.host(), self.identify(), client, collector, new NatCheck.Options(peers, 3, 30_000, includePrivate, alsoTest));
  }

  @Test void aListeningNodeIsReportedReachableWithWhoSaidSo() throws Exception {
    NatReport r = check(servers(3, true), true, List.of());
    assertThat(r.reached()).isEqualTo(3);
    assertThat(r.autonatServers()).isEqualTo(3);
    assertThat(r.observed()).isNotEmpty();
    assertThat(r.reachability()).isEqualTo(Reachability.Status.PUBLIC);
    Multiaddr listen = r.listen().get(0);
    assertThat(r.addresses()).anySatisfy(a -> {
      assertThat(a.address()).isEqualTo(listen);
      assertThat(a.reachableBy()).hasSize(3);
    });
    assertThat(NatAdvice.of(r).verdict()).isEqualTo("Your node is reachable at " + listen + ": other volunteers can connect to you directly.");
  }

  @Test void aForwardedPortThatIsNotThereIsReportedPrivateWithAdvice() throws Exception {
    Multiaddr closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + s.getLocalPort());
    }
    NatReport r = check(servers(3, true), false, List.of(closed));
    assertThat(r.tested()).containsExactly(closed);
    assertThat(r.reachability()).isEqualTo(Reachability.Status.PRIVATE);
    NatAdvice.Advice a = NatAdvice.of(r);
    assertThat(a.verdict()).startsWith("Behind a NAT or firewall: " + closed + " could not be dialled by 3 peers");
    assertThat(String.join(" ", a.todo())).contains("relay").contains("forward TCP port " + closed.valueOf(dev.weft.p2p.multiformats.Protocol.TCP).orElseThrow());
  }

  @Test void peersWithoutAutonatGiveNoVerdictAndSaySo() throws Exception {
    NatReport r = check(servers(2, false), true, List.of());
    assertThat(r.reached()).isEqualTo(2);
    assertThat(r.autonatServers()).isZero();
    assertThat(r.reachability()).isEqualTo(Reachability.Status.UNKNOWN);
    assertThat(NatAdvice.of(r).verdict()).contains("do not offer AutoNAT");
  }

  @Test void unreachablePeersAreReportedWithTheReason() throws Exception {
    Multiaddr nobody;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + s.getLocalPort() + "/p2p/" + dev.weft.p2p.api.PeerId.fromPublicKey(Ed25519.fromSeedNumber(9).publicKey()));
    }
    NatReport r = check(List.of(nobody), true, List.of());
    assertThat(r.peers()).singleElement().satisfies(p -> {
      assertThat(p.reached()).isFalse();
      assertThat(p.error()).isNotBlank();
    });
    assertThat(NatAdvice.of(r).verdict()).startsWith("Could not reach any peer");
  }
}
