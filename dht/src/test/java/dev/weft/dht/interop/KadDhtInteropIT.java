package dev.weft.dht.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.dht.DhtConfig;
import dev.weft.dht.QueryResult;
import dev.weft.dht.host.KadDht;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Cid;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Multihash;
import dev.weft.p2p.transport.tcp.TcpTransport;
import dev.weft.p2p.transport.tcp.TcpTransportConfig;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * weft's DHT and @libp2p/kad-dht 15.1.11 on {@code /ipfs/kad/1.0.0} over real TCP + Noise + Yamux
 * on loopback: providers found both ways, /pk/ records put and got both ways, findPeer both ways.
 * Skipped when node or the js packages are not installed ({@code cd interop/js && npm ci}).
 */
class KadDhtInteropIT {
  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) closeables.get(i).close();
  }

  record WeftNode(HostBuilder.Built built, KadDht dht) {
    BasicHost host() {
      return built.host();
    }

    Multiaddr addr() {
      return Multiaddr.parse(host().listenAddresses().get(0) + "/p2p/" + host().peerId());
    }
  }

  WeftNode weft(long seed) {
    HostBuilder.Built b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed))
        .transport(k -> new TcpTransport(k, TcpTransportConfig.DEFAULT.withIoThreads(1))).listen("/ip4/127.0.0.1/tcp/0").buildWithServices();
    b.host().start().join();
    closeables.add(b.host());
    KadDht dht = KadDht.install(b.host(), DhtConfig.defaults().withProtocolId(DhtConfig.IPFS_PROTOCOL), new MemoryDhtStore(),
        ValidatorRegistry.standard(dev.weft.p2p.crypto.Keys::unmarshalPublicKey), b.ping(), true);
    closeables.add(dht);
    return new WeftNode(b, dht);
  }

  @Test
  void weftAndJsDhtsInteroperate() throws Exception {
    assumeTrue(JsDhtPeer.available(), "node and interop/js/node_modules needed (cd interop/js && npm ci)");
    JsDhtPeer js = new JsDhtPeer(DhtConfig.IPFS_PROTOCOL);
    closeables.add(js);
    WeftNode a = weft(501);
    WeftNode b = weft(502);
    Multiaddr jsAddr = Multiaddr.parse(js.addr);
    a.dht().bootstrap(List.of(jsAddr)).get(30, TimeUnit.SECONDS);
    b.dht().bootstrap(List.of(jsAddr)).get(30, TimeUnit.SECONDS);
    assertThat(a.dht().node().routingTable().contains(PeerId.parse(js.peerId))).isTrue();

    // js adds weft peers once they answered its ping; wait until it has both
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode table;
    do {
      js.call(js.cmd("dial").put("addr", a.addr().toString()), 10);
      js.call(js.cmd("dial").put("addr", b.addr().toString()), 10);
      table = js.call(js.cmd("routingTable"), 10);
      if (table.get("size").asInt() >= 2) break;
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    assertThat(table.get("size").asInt()).as("js routing table: %s", table).isGreaterThanOrEqualTo(2);

    // js provides, weft finds
    Multihash jsContent = Multihash.sha256("js-content".getBytes());
    String jsCid = Cid.of(Cid.RAW, jsContent).toString();
    js.call(js.cmd("provide").put("cid", jsCid), 30);
    var found = b.dht().node().findProviders(jsContent.bytes(), 1, false).get(30, TimeUnit.SECONDS);
    assertThat(found.providers()).extracting(p -> p.id().toString()).contains(js.peerId);

    // weft provides, js finds
    Multihash weftContent = Multihash.sha256("weft-content".getBytes());
    var provided = a.dht().node().provide(weftContent.bytes()).get(30, TimeUnit.SECONDS);
    assertThat(provided.stored()).isGreaterThanOrEqualTo(1);
    JsonNode jsFound = js.call(js.cmd("findProviders").put("cid", Cid.of(Cid.RAW, weftContent).toString()).put("count", 1), 30);
    assertThat(jsFound.get("providers").findValuesAsText("peer")).contains(a.host().peerId().toString());

    // weft puts its /pk/ record, js gets it
    byte[] pkKey = Keys.pkKey(a.host().peerId());
    byte[] pkValue = a.host().privateKey().publicKey().marshal();
    a.dht().node().putValue(pkKey, pkValue).get(30, TimeUnit.SECONDS);
    JsonNode got = js.call(js.cmd("get").put("key", Base64.getEncoder().encodeToString(pkKey)), 30);
    assertThat(got.get("value").asText()).isEqualTo(Base64.getEncoder().encodeToString(pkValue));

    // js puts its /pk/ record, weft gets it
    JsonNode jsPk = js.call(js.cmd("pk"), 10);
    byte[] jsKey = Base64.getDecoder().decode(jsPk.get("key").asText());
    byte[] jsValue = Base64.getDecoder().decode(jsPk.get("value").asText());
    js.call(js.cmd("put").put("key", jsPk.get("key").asText()).put("value", jsPk.get("value").asText()), 30);
    var weftGot = b.dht().node().getValue(jsKey, false).get(30, TimeUnit.SECONDS);
    assertThat(weftGot.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(jsValue));

    // findPeer both ways
    JsonNode jsFindPeer = js.call(js.cmd("findPeer").put("peer", b.host().peerId().toString()), 30);
    assertThat(jsFindPeer.get("peer").asText()).isEqualTo(b.host().peerId().toString());
    assertThat(jsFindPeer.get("addrs").size()).isGreaterThan(0);
    var weftFindPeer = a.dht().node().findPeer(PeerId.parse(js.peerId)).get(30, TimeUnit.SECONDS);
    assertThat(weftFindPeer.peer()).map(p -> p.id().toString()).contains(js.peerId);
  }
}
