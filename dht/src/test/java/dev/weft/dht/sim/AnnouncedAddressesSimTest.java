package dev.weft.dht.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.QueryResult;
import dev.weft.dht.keyspace.PeerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A provider record carries the addresses its provider announces when it provides, not the ones
 * it had at start: a private volunteer starts with its LAN address only and gains a relay circuit
 * address once it holds a reservation; a record with the LAN address alone sends every finder to an
 * address nobody outside the LAN can dial (the volunteers of a NAT testnet never met that way).
 */
class AnnouncedAddressesSimTest {
  static byte[] addr(String text) {
    return dev.weft.p2p.multiformats.Multiaddr.parse(text).bytes();
  }

  @Test
  void providerRecordsCarryTheAddressesAnnouncedAtProvideTime() {
    SimHarness h = new SimHarness(7, 0.0);
    SimKadNetwork.SimNode boot = h.net.addNode(SimHarness.simConfig(), h.validators);
    SimKadNetwork.SimNode home = h.net.addNode(SimHarness.simConfig(), h.validators);
    SimKadNetwork.SimNode finder = h.net.addNode(SimHarness.simConfig(), h.validators);
    boot.node.start();
    home.node.start();
    finder.node.start();
    h.await(home.node.bootstrap(List.of(boot.node.self())));
    h.await(finder.node.bootstrap(List.of(boot.node.self())));
    byte[] lan = addr("/ip4/10.0.0.2/tcp/4001");
    byte[] circuit = addr("/ip4/11.22.33.10/tcp/4001/p2p/12D3KooWAqYwkecGfv7wc3oZga2yrjNRqUk8SoEzZeN6EMrxCRQw/p2p-circuit");
    AtomicReference<List<byte[]>> now = new AtomicReference<>(List.of(lan));
    home.node.announceAddresses(now::get);
    Random r = new Random(7);
    byte[] first = KadNetworkSimTest.randomMultihash(r), second = KadNetworkSimTest.randomMultihash(r);

    h.await(home.node.provide(first));
    now.set(List.of(lan, circuit)); // the relay reservation came through
    h.await(home.node.provide(second));

    assertThat(addrsOf(h, finder, first, home)).containsExactly("/ip4/10.0.0.2/tcp/4001");
    assertThat(addrsOf(h, finder, second, home)).hasSize(2).contains(dev.weft.p2p.multiformats.Multiaddr.fromBytes(circuit).toString());
  }

  @Test
  void anEmptyAnnouncementFallsBackToTheStartAddresses() {
    SimHarness h = new SimHarness(8, 0.0);
    SimKadNetwork.SimNode boot = h.net.addNode(SimHarness.simConfig(), h.validators);
    SimKadNetwork.SimNode home = h.net.addNode(SimHarness.simConfig(), h.validators);
    boot.node.start();
    home.node.start();
    h.await(home.node.bootstrap(List.of(boot.node.self())));
    home.node.announceAddresses(List::of);
    byte[] mh = KadNetworkSimTest.randomMultihash(new Random(8));
    h.await(home.node.provide(mh));
    QueryResult.Providers q = h.await(boot.node.findProviders(mh, 1, false));
    PeerInfo p = q.providers().get(0);
    assertThat(p.addrs()).hasSameSizeAs(home.node.self().addrs());
  }

  private static List<String> addrsOf(SimHarness h, SimKadNetwork.SimNode finder, byte[] key, SimKadNetwork.SimNode provider) {
    QueryResult.Providers q = h.await(finder.node.findProviders(key, 1, false));
    List<String> out = new ArrayList<>();
    for (PeerInfo p : q.providers()) {
      if (!p.id().equals(provider.node.peerId())) continue;
      for (byte[] a : p.addrs()) out.add(dev.weft.p2p.multiformats.Multiaddr.fromBytes(a).toString());
    }
    return out;
  }
}
