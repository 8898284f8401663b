package dev.weft.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real identify over loopback TCP: observers listen on 127.1.0.1, 127.2.0.1, 127.3.0.1 (three
 * /16 groups inside 127/8), we dial them and learn our outside IP from what they observed.
 */
@Timeout(60)
class ObservedAddressIT {
  final List<HostBuilder.Built> hosts = new ArrayList<>();

  HostBuilder.Built start(long seed, String listen) {
    HostBuilder.Built h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new).listen(listen).buildWithServices();
    h.host().start().join();
    hosts.add(h);
    return h;
  }

  @AfterEach void close() {
    hosts.forEach(h -> h.host().close());
  }

  @Test void threeObserverGroupsConfirmOurIpAndNominateOurListenPort() throws Exception {
    HostBuilder.Built self = start(1, "/ip4/127.0.0.1/tcp/0");
    ObservedAddressCollector collector = ObservedAddressCollector.attach(self.identify(), self.host().scheduler(),
        ObservedAddressConfig.DEFAULT, self.host()::listenAddresses);
    for (int g = 1; g <= 3; g++) {
      HostBuilder.Built o = start(10 + g, "/ip4/127." + g + ".0.1/tcp/0");
      var c = self.host().dial(o.host().listenAddresses().get(0).withPeerId(o.host().peerId())).get(10, TimeUnit.SECONDS);
      self.identify().identify(c).get(10, TimeUnit.SECONDS);
      if (g < 3) assertThat(collector.candidates().get(5, TimeUnit.SECONDS)).as("after %d groups", g).isEmpty();
    }
    List<ObservedAddress> seen = collector.addresses().get(5, TimeUnit.SECONDS);
    assertThat(seen).isNotEmpty().allSatisfy(a -> assertThat(a.address().toString()).startsWith("/ip4/127.0.0.1/tcp/"));
    Multiaddr listen = self.host().listenAddresses().get(0);
    assertThat(collector.candidates().get(5, TimeUnit.SECONDS)).containsExactly(listen);
  }
}
