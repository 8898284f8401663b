package dev.weft.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.cli.p2p.bench.JsPeer;
import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.identify.IdentifyInfo;
import dev.weft.p2p.protocol.perf.PerfResult;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * weft against js-libp2p 2.10 (interop/js/peer.mjs) over TCP + Noise + Yamux, in both directions:
 * ping, identify (each side sees the other's protocols and listen addresses), perf and a
 * byte-for-byte pattern check with 10 MiB each way. Skipped only when {@code node} is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class JsInteropIT {
  static final long TEN_MIB = 10L << 20;
  static final List<String> WEFT_PROTOCOLS = List.of("/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0", "/ipfs/ping/1.0.0", "/perf/1.0.0", PatternProtocol.ID);

  JsPeer js;
  Multiaddr jsAddr;
  PeerId jsPeer;
  final List<HostBuilder.Built> hosts = new ArrayList<>();

  @BeforeAll void startJs() throws Exception {
    Assumptions.assumeTrue(JsPeer.nodeAvailable(), "node (Node.js) not found on PATH: js-libp2p interop tests skipped");
    js = JsPeer.start();
    jsAddr = Multiaddr.parse(js.addr);
    jsPeer = PeerId.parse(js.peerId);
  }

  @AfterAll void stop() throws Exception {
    for (HostBuilder.Built h : hosts) h.host().close();
    if (js != null) js.close();
  }

  HostBuilder.Built weft(long seed) {
    HostBuilder.Built h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new)
        .listen("/ip4/127.0.0.1/tcp/0").perf(true).buildWithServices();
    h.host().setStreamHandler(PatternProtocol.ID, PatternProtocol::serve);
    h.host().start().join();
    hosts.add(h);
    return h;
  }

  String addrOf(HostBuilder.Built h) {
    return h.host().listenAddresses().get(0).withPeerId(h.host().peerId()).toString();
  }

  static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(50);
    }
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test void weftDialsJsThenPingsAndBothSidesIdentify() throws Exception {
    HostBuilder.Built w = weft(101);
    Connection c = w.host().dial(jsAddr).get(30, TimeUnit.SECONDS);
    assertThat(c.remotePeer()).isEqualTo(jsPeer);
    assertThat(c.isInitiator()).isTrue();

    List<Double> rtts = w.ping().ping(c, 3).get(30, TimeUnit.SECONDS);
    assertThat(rtts).hasSize(3).allMatch(r -> r >= 0);

    IdentifyInfo info = w.identify().identify(c).get(30, TimeUnit.SECONDS);
    assertThat(info.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0", "/ipfs/ping/1.0.0", "/perf/1.0.0", PatternProtocol.ID);
    assertThat(info.listenAddrs()).contains(jsAddr.withoutPeerId());
    assertThat(info.agentVersion()).startsWith("js-libp2p/");
    assertThat(info.observedAddr()).isNotNull();
    assertThat(w.host().peerStore().protocols(jsPeer)).contains("/ipfs/ping/1.0.0");

    // js identified us on the inbound connection.
    eventually(() -> {
      try {
        return texts(js.call(JsPeer.cmd("peerInfo").put("peer", w.host().peerId().toBase58()), 30).get("protocols")).containsAll(WEFT_PROTOCOLS);
      } catch (Exception e) {
        return false;
      }
    }, "js to learn weft's protocols");
    JsonNode known = js.call(JsPeer.cmd("peerInfo").put("peer", w.host().peerId().toBase58()), 30);
    assertThat(texts(known.get("addrs"))).anyMatch(a -> a.startsWith(w.host().listenAddresses().get(0).toString()));
  }

  @Test void jsDialsWeftThenPingsAndBothSidesIdentify() throws Exception {
    HostBuilder.Built w = weft(102);
    JsonNode ident = js.call(JsPeer.cmd("identify").put("addr", addrOf(w)), 60);
    assertThat(ident.get("peer").asText()).isEqualTo(w.host().peerId().toBase58());
    assertThat(texts(ident.get("protocols"))).containsAll(WEFT_PROTOCOLS);
    assertThat(texts(ident.get("listenAddrs"))).anyMatch(a -> a.startsWith(w.host().listenAddresses().get(0).toString()));
    assertThat(ident.get("agentVersion").asText()).isEqualTo("weft/0.1.0");
    assertThat(ident.get("observedAddr").asText()).startsWith("/ip4/127.0.0.1/tcp/");
    assertThat(w.host().connections(jsPeer)).singleElement().satisfies(c -> assertThat(c.isInitiator()).isFalse());

    JsonNode ping = js.call(JsPeer.cmd("ping").put("addr", addrOf(w)).put("count", 3), 60);
    assertThat(ping.get("rtts")).hasSize(3);

    // We identified js on its inbound connection.
    eventually(() -> w.host().peerStore().protocols(jsPeer).contains("/ipfs/ping/1.0.0"), "weft to learn js's protocols");
    assertThat(w.host().peerStore().protocols(jsPeer)).contains("/ipfs/id/1.0.0", "/perf/1.0.0", PatternProtocol.ID);
    assertThat(w.host().peerStore().addresses(jsPeer)).contains(jsAddr.withoutPeerId());
  }

  @Test void perfTenMibEachWayInBothDirections() throws Exception {
    HostBuilder.Built w = weft(103);
    Connection c = w.host().dial(jsAddr).get(30, TimeUnit.SECONDS);
    PerfResult r = w.perf().run(c, TEN_MIB, TEN_MIB).get(120, TimeUnit.SECONDS);
    assertThat(r.uploadBytes()).isEqualTo(TEN_MIB);
    assertThat(r.downloadBytes()).isEqualTo(TEN_MIB);

    JsonNode jsPerf = js.call(JsPeer.cmd("perf").put("addr", addrOf(w)).put("upload", TEN_MIB).put("download", TEN_MIB), 120);
    assertThat(jsPerf.get("upload").asLong()).isEqualTo(TEN_MIB);
    assertThat(jsPerf.get("download").asLong()).isEqualTo(TEN_MIB);
  }

  @Test void patternTenMibEachWayCheckedByteForByteInBothDirections() throws Exception {
    HostBuilder.Built w = weft(104);
    Connection c = w.host().dial(jsAddr).get(30, TimeUnit.SECONDS);
    var s = c.newStream(List.of(PatternProtocol.ID)).get(30, TimeUnit.SECONDS);
    PatternProtocol.run(s, TEN_MIB, TEN_MIB).get(120, TimeUnit.SECONDS);

    JsonNode jsPattern = js.call(JsPeer.cmd("pattern").put("addr", addrOf(w)).put("upload", TEN_MIB).put("download", TEN_MIB), 120);
    assertThat(jsPattern.get("download").asLong()).isEqualTo(TEN_MIB);
  }
}
