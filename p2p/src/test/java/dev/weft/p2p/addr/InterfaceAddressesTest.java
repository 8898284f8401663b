package dev.weft.p2p.addr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.multiformats.Multiaddr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceAddressesTest {
  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void unspecifiedAddressesBecomeOnePerInterfaceAddressOfTheirFamily() throws Exception {
    InterfaceAddresses ifs = new InterfaceAddresses(List.of(ip("127.0.0.1"), ip("192.168.1.20"), ip("169.254.3.4"), ip("::1"),
        ip("fe80::1%1"), ip("2001:db8::5")));
    List<Multiaddr> out = ifs.expand(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"), Multiaddr.parse("/ip6/::/tcp/4002"),
        Multiaddr.parse("/ip4/203.0.113.9/tcp/4001"), Multiaddr.parse("/ip4/0.0.0.0/tcp/4001")));
    assertThat(out).extracting(Multiaddr::toString).containsExactly(
        "/ip4/127.0.0.1/tcp/4001", "/ip4/192.168.1.20/tcp/4001",
        "/ip6/::1/tcp/4002", "/ip6/2001:db8::5/tcp/4002",
        "/ip4/203.0.113.9/tcp/4001");
  }

  @Test
  void theSystemListHasLoopbackAndNoUnspecifiedAddress() {
    List<Multiaddr> out = InterfaceAddresses.system().expand(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/1")));
    assertThat(out).contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"));
    assertThat(out).noneMatch(Multiaddr::isUnspecified);
  }
}
