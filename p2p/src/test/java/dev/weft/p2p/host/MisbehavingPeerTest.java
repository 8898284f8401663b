package dev.weft.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.identify.IdentifyCodec;
import dev.weft.p2p.protocol.identify.IdentifyInfo;
import dev.weft.p2p.protocol.identify.IdentifyProtocol;
import dev.weft.p2p.protocol.perf.PerfProtocol;
import dev.weft.p2p.crypto.Ed25519;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad peers lose their connection; the host goes on serving the others. */
@Timeout(60)
class MisbehavingPeerTest {
  final SimNet net = new SimNet(77);

  @AfterEach void close() {
    net.close();
  }

  /** Checks that {@code victim} still answers an honest peer. */
  private void stillServes(BasicHost victim) {
    HostBuilder.Built honest = net.add(50);
    net.await(honest.host().dial(victim.listenAddresses().get(0)), 1000);
    assertThat(net.await(honest.ping().ping(victim.peerId(), 2), 5000)).hasSize(2);
  }

  @Test void peerOpeningStreamsWithoutLimitLosesItsConnection() {
    HostBuilder.Built victim = net.add(1, b -> b.connectionManager(ConnectionManagerConfig.DEFAULT.withMaxInboundStreamsPerConnection(16)));
    victim.host().setStreamHandler("/hold/1.0.0", s -> s.setHandler(BasicHostTest.SILENT));
    HostBuilder.Built attacker = net.add(2, b -> b.identify(false));
    Connection c = net.await(attacker.host().dial(victim.host().listenAddresses().get(0)), 1000);
    List<CompletableFuture<Stream>> opened = new ArrayList<>();
    for (int i = 0; i < 100; i++) opened.add(c.newStream(List.of("/hold/1.0.0")));
    net.sim.runFor(1000);
    assertThat(c.closeFuture()).isDone();
    assertThat(victim.host().connections(attacker.host().peerId())).isEmpty();
    stillServes(victim.host());
  }

  @Test void oversizedIdentifyMessageClosesTheConnection() {
    HostBuilder.Built victim = net.add(1);
    HostBuilder.Built liar = net.add(2, b -> b.identify(false));
    liar.host().setStreamHandler(IdentifyProtocol.ID, s -> {
      // Announces 1 MiB, then starts sending it: the victim must not wait for (or buffer) it.
      s.write(Unpooled.wrappedBuffer(Varint.encode(1 << 20)));
      s.write(Unpooled.wrappedBuffer(new byte[1000]));
    });
    net.await(victim.host().dial(liar.host().listenAddresses().get(0)), 1000);
    net.sim.runFor(1000);
    assertThat(victim.host().connections(liar.host().peerId())).isEmpty();
    stillServes(victim.host());
  }

  @Test void identifyWithSomeoneElsesKeyClosesTheConnection() {
    HostBuilder.Built victim = net.add(1);
    HostBuilder.Built liar = net.add(2, b -> b.identify(false));
    liar.host().setStreamHandler(IdentifyProtocol.ID, s -> {
      IdentifyInfo fake = new IdentifyInfo("ipfs/0.1.0", "liar", Ed25519.fromSeedNumber(99).publicKey(), List.of(), null, List.of(), null, 0);
      s.write(Unpooled.wrappedBuffer(IdentifyCodec.encodeDelimited(fake)));
      s.closeWrite();
    });
    net.await(victim.host().dial(liar.host().listenAddresses().get(0)), 1000);
    net.sim.runFor(1000);
    assertThat(victim.host().connections(liar.host().peerId())).isEmpty();
    assertThat(victim.host().peerStore().publicKey(liar.host().peerId())).isEmpty();
    stillServes(victim.host());
  }

  @Test void identifyStreamsThePeerNeverClosesAreResetAfterTheTimeout() {
    HostBuilder.Built victim = net.add(1);
    HostBuilder.Built sticky = net.add(2, b -> b.identify(false));
    Connection c = net.await(sticky.host().dial(victim.host().listenAddresses().get(0)), 1000);
    Stream s = net.await(c.newStream(List.of(IdentifyProtocol.ID)), 1000);
    s.setHandler(BasicHostTest.SILENT); // reads the record, never closes its side
    net.sim.runFor(100);
    assertThat(victim.host().connections().get(0).streams()).hasSize(1);
    net.sim.runFor(IdentifyProtocol.TIMEOUT_MILLIS);
    assertThat(victim.host().connections().get(0).streams()).isEmpty();
  }

  @Test void silentIdentifyTimesOutWithoutClosingAnything() {
    HostBuilder.Built victim = net.add(1);
    HostBuilder.Built mute = net.add(2, b -> b.identify(false));
    mute.host().setStreamHandler(IdentifyProtocol.ID, s -> s.setHandler(BasicHostTest.SILENT));
    net.await(victim.host().dial(mute.host().listenAddresses().get(0)), 1000);
    CompletableFuture<IdentifyInfo> f = victim.identify().identify(victim.host().connections().get(0));
    net.sim.runFor(IdentifyProtocol.TIMEOUT_MILLIS + 100);
    assertThat(f).isCompletedExceptionally();
    assertThat(victim.host().connections(mute.host().peerId())).hasSize(1);
    assertThat(victim.host().connections().get(0).streams()).isEmpty();
  }

  @Test void perfClientThatStopsReadingHasItsStreamResetAfterTheIdleTimeout() {
    HostBuilder.Built server = net.add(1, b -> b.perf(true));
    HostBuilder.Built client = net.add(2);
    Connection c = net.await(client.host().dial(server.host().listenAddresses().get(0)), 1000);
    CompletableFuture<Stream> sf = c.newStream(List.of(PerfProtocol.ID));
    Stream s = net.await(sf, 1000);
    s.setHandler(BasicHostTest.SILENT);
    s.write(Unpooled.buffer(8).writeLong(1L << 30));
    s.closeWrite();
    net.sim.runFor(50);
    net.network.stallReads(client.host().peerId());
    net.sim.runFor(PerfProtocol.IDLE_TIMEOUT_MILLIS + 10_000);
    Connection serverSide = server.host().connections(client.host().peerId()).get(0);
    assertThat(serverSide.streams()).noneMatch(x -> x.protocol().equals(PerfProtocol.ID));
    net.network.resumeReads(client.host().peerId());
    stillServes(server.host());
  }

  @Test void pingStreamsBeyondTwoPerPeerAreRefused() {
    HostBuilder.Built victim = net.add(1);
    HostBuilder.Built greedy = net.add(2);
    Connection c = net.await(greedy.host().dial(victim.host().listenAddresses().get(0)), 1000);
    List<Stream> streams = new ArrayList<>();
    List<Boolean> closed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Stream s = net.await(c.newStream(List.of("/ipfs/ping/1.0.0")), 1000);
      streams.add(s);
      s.setHandler(new StreamHandler() {
        @Override public void onData(Stream stream, ByteBuf data) {}

        @Override public void onClosed(Stream stream, Throwable cause) {
          closed.add(true);
        }
      });
    }
    net.sim.runFor(100);
    assertThat(closed).hasSize(1);
  }
}
