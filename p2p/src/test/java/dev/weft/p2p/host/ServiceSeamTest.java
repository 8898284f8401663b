package dev.weft.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.protocol.identify.IdentifyProtocol;
import dev.weft.p2p.protocol.identify.IdentifyService;
import dev.weft.p2p.protocol.perf.PerfProtocol;
import dev.weft.p2p.protocol.perf.PerfService;
import dev.weft.p2p.protocol.ping.PingProtocol;
import dev.weft.p2p.protocol.ping.PingService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The service seam: a service written against {@code api} alone (this test's echo service) gets
 * the host's scheduler, clocks, randomness, events and lifecycle, and is installed, found and
 * closed exactly as identify, ping and perf are.
 */
class ServiceSeamTest {
  static final String ECHO = "/test/echo/1.0.0";

  /** A third-party service: echoes each inbound stream's bytes and counts the peers it saw connect. */
  static final class EchoService implements AutoCloseable {
    final ServiceContext context;
    final List<String> connected = new ArrayList<>();
    final List<String> closeLog;
    final String name;

    EchoService(ServiceContext context, List<String> closeLog, String name) {
      this.context = context;
      this.closeLog = closeLog;
      this.name = name;
      context.host().setStreamHandler(ECHO, s -> s.setHandler(new StreamHandler() {
        @Override public void onData(Stream stream, ByteBuf data) {
          stream.write(data.retain());
        }

        @Override public void onRemoteClosed(Stream stream) {
          stream.closeWrite();
        }
      }));
      context.subscribe(e -> {
        if (e instanceof HostEvent.PeerConnected pc) connected.add(pc.connection().remotePeer().toBase58());
      });
    }

    CompletableFuture<String> echo(dev.weft.p2p.api.PeerId peer, String text) {
      CompletableFuture<String> out = new CompletableFuture<>();
      context.host().newStream(peer, List.of(ECHO)).thenAccept(s -> {
        StringBuilder got = new StringBuilder();
        s.setHandler(new StreamHandler() {
          @Override public void onData(Stream stream, ByteBuf data) {
            got.append(data.toString(StandardCharsets.UTF_8));
          }

          @Override public void onRemoteClosed(Stream stream) {
            out.complete(got.toString());
          }
        });
        s.write(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        s.closeWrite();
      }).exceptionally(e -> {
        out.completeExceptionally(e);
        return null;
      });
      return out;
    }

    @Override public void close() {
      closeLog.add(name);
    }
  }

  static ServiceFactory<EchoService> echo(List<String> closeLog, String name) {
    return c -> new EchoService(c, closeLog, name);
  }

  @Test void thirdPartyServiceRunsOnTheSeamAndIsFoundByType() {
    try (SimNet net = new SimNet(7)) {
      List<String> log = new ArrayList<>();
      HostBuilder.Built a = net.add(1, b -> b.service(echo(log, "a")));
      HostBuilder.Built b = net.add(2, x -> x.service(echo(log, "b")));
      EchoService ea = a.service(EchoService.class).orElseThrow();
      assertThat(b.service(EchoService.class)).isPresent();
      assertThat(a.host().protocols()).contains(ECHO);

      b.host().peerStore().addAddresses(a.host().peerId(), a.host().listenAddresses(), 60_000);
      EchoService eb = b.service(EchoService.class).orElseThrow();
      assertThat(net.await(eb.echo(a.host().peerId(), "hello seam"), 5_000)).isEqualTo("hello seam");
      net.sim.runFor(10);
      assertThat(ea.connected).containsExactly(b.host().peerId().toBase58());
    }
  }

  @Test void contextGivesTheHostsSchedulerClockAndSeededRandom() {
    long[] first = new long[2];
    for (int run = 0; run < 2; run++) {
      try (SimNet net = new SimNet(42)) {
        HostBuilder.Built h = net.add(1, b -> b.service(echo(new ArrayList<>(), "x")));
        ServiceContext c = h.service(EchoService.class).orElseThrow().context;
        assertThat(c.scheduler()).isSameAs(net.sim);
        assertThat(c.host()).isSameAs(h.host());
        assertThat(c.peerStore()).isSameAs(h.host().peerStore());
        long before = c.nowNanos();
        net.sim.runFor(250);
        assertThat(c.nowNanos() - before).isEqualTo(250_000_000L);
        first[run] = c.random().nextLong();
      }
    }
    assertThat(first[0]).as("same seed, same randomness").isEqualTo(first[1]);
  }

  @Test void servicesCloseWithTheHostNewestFirst() {
    List<String> log = new ArrayList<>();
    try (SimNet net = new SimNet(3)) {
      HostBuilder.Built h = net.add(1, b -> b.service(echo(log, "first")));
      h.host().install(echo(log, "second"));
      h.host().close();
      assertThat(log).containsExactly("second", "first");
      assertThatThrownBy(() -> h.host().install(echo(log, "late"))).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test void builderLeavesOutWhatItIsTold() {
    try (SimNet net = new SimNet(5)) {
      HostBuilder.Built bare = net.add(1, b -> b.identify(false).ping(false));
      assertThat(bare.host().protocols()).doesNotContain(IdentifyProtocol.ID, IdentifyProtocol.PUSH_ID, PingProtocol.ID, PerfProtocol.ID);
      assertThat(bare.identify()).isNull();
      assertThat(bare.service(PingService.class)).isEmpty();
      assertThat(bare.service(IdentifyService.class)).isEmpty();
      assertThat(bare.service(PerfService.class)).as("perf client stays, serving nothing").isPresent();

      HostBuilder.Built full = net.add(2, b -> b.perf(true));
      assertThat(full.host().protocols()).contains(IdentifyProtocol.ID, PingProtocol.ID, PerfProtocol.ID);
      assertThat(full.service(PingService.class)).containsSame(full.ping());
      assertThat(full.service(IdentifyService.class)).containsSame(full.identify());
    }
  }
}
