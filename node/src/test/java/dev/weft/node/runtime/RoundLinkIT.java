package dev.weft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.InMemoryPeerStore;
import dev.weft.p2p.transport.tcp.TcpTransport;
import dev.weft.p2p.transport.tcp.TcpTransportConfig;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RoundLink} between two real hosts on loopback: frames arrive whole, and what breaks its limits is refused. */
class RoundLinkIT {
  record Got(PeerId from, byte[] frame) {}

  BasicHost a, b;
  final LinkedBlockingQueue<Got> atB = new LinkedBlockingQueue<>();
  RoundLink linkA, linkB;

  static BasicHost host(long seed) {
    BasicHost h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed))
        .transport(k -> new TcpTransport(k, TcpTransportConfig.DEFAULT.withIoThreads(1))).listen("/ip4/127.0.0.1/tcp/0").build();
    h.start().join();
    return h;
  }

  @BeforeEach void start() {
    a = host(71);
    b = host(72);
    a.peerStore().addAddresses(b.peerId(), b.listenAddresses(), InMemoryPeerStore.PERMANENT_ADDRESS_TTL_MILLIS);
    RoundLink.Limits limits = new RoundLink.Limits(64 * 1024, 1_000, 4, 16);
    linkA = new RoundLink(a, a.scheduler(), limits, (p, f) -> {});
    linkB = new RoundLink(b, b.scheduler(), limits, (p, f) -> atB.add(new Got(p, f)));
    linkA.install();
    linkB.install();
  }

  @AfterEach void stop() {
    a.close();
    b.close();
  }

  @Test void framesArriveWholeWithTheAuthenticatedSender() throws Exception {
    byte[] big = new byte[60_000];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    linkA.send(b.peerId(), new byte[] {1, 2, 3});
    linkA.send(b.peerId(), big);
    List<Got> got = List.of(atB.poll(10, TimeUnit.SECONDS), atB.poll(10, TimeUnit.SECONDS));
    assertThat(got).allSatisfy(g -> assertThat(g.from()).isEqualTo(a.peerId()));
    assertThat(got.stream().map(g -> g.frame().length)).containsExactlyInAnyOrder(3, 60_000);
    assertThat(got.stream().filter(g -> g.frame().length == 60_000).findFirst().orElseThrow().frame()).isEqualTo(big);
  }

  @Test void anOversizedLengthIsRefusedBeforeItsBytesAreBuffered() throws Exception {
    Stream s = a.newStream(b.peerId(), List.of(RoundLink.PROTOCOL)).get(10, TimeUnit.SECONDS);
    s.write(Unpooled.buffer(4).writeInt(1 << 30)).get(5, TimeUnit.SECONDS);
    s.closeFuture().get(10, TimeUnit.SECONDS);
    assertThat(linkB.refused()).isEqualTo(1);
    assertThat(atB).isEmpty();
    // The link still works for honest frames.
    linkA.send(b.peerId(), new byte[] {9});
    assertThat(atB.poll(10, TimeUnit.SECONDS).frame()).containsExactly(9);
  }

  @Test void aSilentStreamIsResetAfterTheReadTimeout() throws Exception {
    Stream s = a.newStream(b.peerId(), List.of(RoundLink.PROTOCOL)).get(10, TimeUnit.SECONDS);
    s.write(Unpooled.buffer(2).writeShort(0)).get(5, TimeUnit.SECONDS); // half a length, then nothing
    s.closeFuture().get(10, TimeUnit.SECONDS); // reset by b's 1 s timeout, not by us
    assertThat(atB).isEmpty();
  }

  @Test void streamsOverThePerPeerLimitAreReset() throws Exception {
    // Four silent streams hold a's share; the fifth is reset at once.
    for (int i = 0; i < 4; i++) a.newStream(b.peerId(), List.of(RoundLink.PROTOCOL)).get(10, TimeUnit.SECONDS).write(Unpooled.buffer(1).writeByte(0));
    Thread.sleep(200);
    Stream fifth = a.newStream(b.peerId(), List.of(RoundLink.PROTOCOL)).get(10, TimeUnit.SECONDS);
    fifth.write(Unpooled.buffer(1).writeByte(0));
    fifth.closeFuture().get(5, TimeUnit.SECONDS);
    assertThat(linkB.refused()).isGreaterThanOrEqualTo(1);
  }

  @Test void streamsOverTheTotalAreResetWhateverPeerOpensThem() throws Exception {
    // A receiver whose total (4) equals one peer's share: once a holds it all, c's first stream is refused.
    BasicHost d = host(73), c = host(74);
    try {
      RoundLink linkD = new RoundLink(d, d.scheduler(), new RoundLink.Limits(64 * 1024, 2_000, 4, 4), (p, f) -> {});
      linkD.install();
      for (BasicHost from : List.of(a, c)) from.peerStore().addAddresses(d.peerId(), d.listenAddresses(), InMemoryPeerStore.PERMANENT_ADDRESS_TTL_MILLIS);
      for (int i = 0; i < 4; i++) a.newStream(d.peerId(), List.of(RoundLink.PROTOCOL)).get(10, TimeUnit.SECONDS).write(Unpooled.buffer(1).writeByte(0));
      Thread.sleep(200);
      assertThat(linkD.refused()).isZero();
      Stream fromC = c.newStream(d.peerId(), List.of(RoundLink.PROTOCOL)).get(10, TimeUnit.SECONDS);
      fromC.write(Unpooled.buffer(1).writeByte(0));
      fromC.closeFuture().get(5, TimeUnit.SECONDS);
      assertThat(linkD.refused()).isEqualTo(1);
    } finally {
      c.close();
      d.close();
    }
  }
}
