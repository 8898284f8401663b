package dev.weft.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.identify.IdentifyInfo;
import dev.weft.p2p.protocol.identify.IdentifyProtocol;
import dev.weft.p2p.protocol.perf.PerfResult;
import dev.weft.p2p.protocol.ping.PingProtocol;
import dev.weft.p2p.transport.memory.LinkConfig;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BasicHostTest {
  final SimNet net = new SimNet(2024);

  @AfterEach void close() {
    net.close();
  }

  static final StreamHandler SILENT = new StreamHandler() {
    @Override public void onData(Stream stream, ByteBuf data) {}
  };

  @Test void builderFailsFastWithoutIdentityOrTransport() {
    assertThatThrownBy(() -> BasicHost.builder().scheduler(net.sim).transport(net.network.transport(peer(9))).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("identity");
    assertThatThrownBy(() -> BasicHost.builder().privateKey(Ed25519.fromSeedNumber(9)).scheduler(net.sim).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("transport");
    assertThatThrownBy(() -> BasicHost.builder().privateKey(Ed25519.fromSeedNumber(9)).scheduler(net.sim)
        .transport(net.network.transport(peer(9))).listen("/ip4/127.0.0.1/tcp/0").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no transport can listen");
  }

  @Test void dialsReuseOneConnectionPerPeer() {
    BasicHost a = net.add(1).host();
    BasicHost b = net.add(2).host();
    Multiaddr addr = b.listenAddresses().get(0).withPeerId(b.peerId());
    CompletableFuture<Connection> d1 = a.dial(addr);
    CompletableFuture<Connection> d2 = a.dial(addr);
    Connection c1 = net.await(d1, 1000);
    assertThat(net.await(d2, 1000)).isSameAs(c1);
    assertThat(net.await(a.dial(addr), 1000)).isSameAs(c1);
    assertThat(net.await(a.connect(b.peerId()), 1000)).isSameAs(c1);
    assertThat(a.connections()).hasSize(1);
    net.sim.runFor(100);
    assertThat(b.connections()).hasSize(1);
    Connection forced = net.await(a.dial(addr, true), 1000);
    assertThat(forced).isNotSameAs(c1);
    assertThat(a.connections(b.peerId())).hasSize(2);
  }

  @Test void connectUsesThePeerStoreAndFailsWithoutAddresses() {
    BasicHost a = net.add(1).host();
    BasicHost b = net.add(2).host();
    CompletableFuture<Connection> none = a.connect(b.peerId());
    assertThatThrownBy(none::join).hasMessageContaining("no known dialable address");
    a.peerStore().addAddresses(b.peerId(), List.of(Multiaddr.parse("/memory/gone"), b.listenAddresses().get(0)), 60_000);
    Connection c = net.await(a.connect(b.peerId()), 1000);
    assertThat(c.remotePeer()).isEqualTo(b.peerId());
  }

  @Test void identifyRunsOnConnectAndFillsBothPeerStores() {
    HostBuilder.Built a = net.add(1);
    HostBuilder.Built b = net.add(2);
    List<HostEvent> eventsA = new ArrayList<>();
    a.host().subscribe(eventsA::add);
    b.host().setStreamHandler("/weft/test/1.0.0", s -> s.setHandler(SILENT));
    net.sim.runFor(500);
    net.await(a.host().dial(b.host().listenAddresses().get(0)), 1000);
    net.sim.runFor(500);
    assertThat(a.host().peerStore().protocols(b.host().peerId())).contains(IdentifyProtocol.ID, PingProtocol.ID, "/weft/test/1.0.0");
    assertThat(b.host().peerStore().protocols(a.host().peerId())).contains(IdentifyProtocol.ID, IdentifyProtocol.PUSH_ID);
    assertThat(a.host().peerStore().addresses(b.host().peerId())).containsExactlyElementsOf(b.host().listenAddresses());
    assertThat(b.host().peerStore().addresses(a.host().peerId())).containsExactlyElementsOf(a.host().listenAddresses());
    assertThat(a.host().peerStore().publicKey(b.host().peerId())).isPresent();
    IdentifyInfo info = a.identify().info(b.host().peerId()).orElseThrow();
    assertThat(info.agentVersion()).isEqualTo("weft/0.1.0");
    assertThat(info.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(info.observedAddr()).isEqualTo(a.host().connections().get(0).localAddress());
    assertThat(eventsA).hasAtLeastOneElementOfType(HostEvent.PeerConnected.class)
        .anySatisfy(e -> assertThat(e).isEqualTo(new HostEvent.PeerIdentified(b.host().peerId())));
  }

  @Test void identifyPushTellsConnectedPeersAboutNewProtocols() {
    HostBuilder.Built a = net.add(1);
    HostBuilder.Built b = net.add(2);
    net.await(a.host().dial(b.host().listenAddresses().get(0)), 1000);
    net.sim.runFor(500);
    assertThat(a.host().peerStore().protocols(b.host().peerId())).doesNotContain("/late/1.0.0");
    b.host().setStreamHandler("/late/1.0.0", s -> s.setHandler(SILENT));
    net.sim.runFor(500);
    assertThat(a.host().peerStore().protocols(b.host().peerId())).contains("/late/1.0.0");
    b.host().removeStreamHandler("/late/1.0.0");
    net.sim.runFor(500);
    assertThat(a.host().peerStore().protocols(b.host().peerId())).doesNotContain("/late/1.0.0").contains(PingProtocol.ID);
  }

  @Test void pingMeasuresTheRoundTripOnVirtualTime() {
    HostBuilder.Built a = net.add(1);
    HostBuilder.Built b = net.add(2);
    net.network.setLink(a.host().peerId(), b.host().peerId(), LinkConfig.latency(20));
    net.await(a.host().dial(b.host().listenAddresses().get(0)), 1000);
    List<Double> rtts = net.await(a.ping().ping(b.host().peerId(), 3), 5000);
    assertThat(rtts).containsExactly(40.0, 40.0, 40.0);
  }

  @Test void perfMovesTheAskedBytesBothWays() {
    HostBuilder.Built a = net.add(1);
    HostBuilder.Built b = net.add(2, x -> x.perf(true));
    net.network.setLink(a.host().peerId(), b.host().peerId(), new LinkConfig(5, 0, 0, 0, 100_000_000));
    net.await(a.host().dial(b.host().listenAddresses().get(0)), 1000);
    PerfResult r = net.await(a.perf().run(b.host().peerId(), 3_000_000, 5_000_000), 60_000);
    assertThat(r.uploadBytes()).isEqualTo(3_000_000);
    assertThat(r.downloadBytes()).isEqualTo(5_000_000);
    // 100 MB/s link: 30 ms to upload, 50 ms to download, give or take latency and windows.
    assertThat(r.uploadNanos() / 1e6).isBetween(30.0, 60.0);
    assertThat(r.downloadNanos() / 1e6).isBetween(45.0, 80.0);
  }

  @Test void perfIsRefusedByHostsThatDoNotServeIt() {
    HostBuilder.Built a = net.add(1);
    HostBuilder.Built b = net.add(2);
    net.await(a.host().dial(b.host().listenAddresses().get(0)), 1000);
    CompletableFuture<PerfResult> r = a.perf().run(b.host().peerId(), 10, 10);
    net.sim.runFor(100);
    assertThat(r).isCompletedExceptionally();
  }

  @Test void eventsReportConnectAndDisconnectInOrder() {
    BasicHost a = net.add(1).host();
    BasicHost b = net.add(2).host();
    List<String> seen = new ArrayList<>();
    b.subscribe(e -> seen.add(e.getClass().getSimpleName()));
    Connection c = net.await(a.dial(b.listenAddresses().get(0)), 1000);
    net.sim.runFor(100);
    c.close();
    net.sim.runFor(100);
    assertThat(seen).startsWith("PeerConnected").contains("StreamOpened").endsWith("PeerDisconnected");
    assertThat(b.connections()).isEmpty();
    assertThat(a.connections()).isEmpty();
  }

  static PeerId peer(long seed) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(seed).publicKey());
  }
}
