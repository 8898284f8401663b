package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.v1.V1Message;
import dev.weft.p2p.protocol.autonat.v2.V2Codec;
import dev.weft.p2p.protocol.autonat.v2.V2Message;
import dev.weft.p2p.protocol.autonat.v2.V2Result;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AutoNAT v1 and v2 between real hosts over loopback TCP + Noise + Yamux. */
@Timeout(120)
class AutonatIT {
  /** Loopback is "private": these servers are told to dial it, as a LAN deployment would. */
  static final AutonatServerConfig SERVER = AutonatServerConfig.DEFAULT.withAllowPrivateAddresses(true);

  final List<BasicHost> hosts = new ArrayList<>();
  final List<ServerSocket> sockets = new ArrayList<>();

  record Server(BasicHost host, AutonatServer autonat) {}

  record Client(BasicHost host, AutonatClient autonat) {}

  BasicHost host(long seed, String listen) {
    HostBuilder.Built b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new).listen(listen).buildWithServices();
    b.host().start().join();
    hosts.add(b.host());
    return b.host();
  }

  Server server(long seed, AutonatServerConfig config) {
    BasicHost h = host(seed, "/ip4/127.0.0.1/tcp/0");
    return new Server(h, AutonatServer.install(h, config));
  }

  Client client(long seed, AutonatClientConfig config) {
    BasicHost h = host(seed, "/ip4/127.0.0.1/tcp/0");
    return new Client(h, AutonatClient.install(h, config, new Random(seed)));
  }

  static void connect(BasicHost from, BasicHost to) throws Exception {
    from.dial(to.listenAddresses().get(0).withPeerId(to.peerId())).get(10, TimeUnit.SECONDS);
    // identify tells us which AutoNAT versions the server speaks
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (from.peerStore().protocols(to.peerId()).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
  }

  static Multiaddr closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + s.getLocalPort());
    }
  }

  @AfterEach void close() throws Exception {
    hosts.forEach(BasicHost::close);
    for (ServerSocket s : sockets) s.close();
  }

  AutonatProbe probe(Client c) {
    return new AutonatProbe(c.autonat(), new Reachability(ReachabilityConfig.DEFAULT), c.host().scheduler(), c.host().peerStore());
  }

  @Test void threeServersFindAListeningClientPublic() throws Exception {
    Client c = client(1, AutonatClientConfig.DEFAULT);
    List<PeerId> servers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Server s = server(10 + i, SERVER);
      connect(c.host(), s.host());
      servers.add(s.host().peerId());
    }
    Multiaddr listen = c.host().listenAddresses().get(0);
    AutonatProbe p = probe(c);
    List<Reachability.AddressStatus> st = p.probe(servers, List.of(listen)).get(60, TimeUnit.SECONDS);
    assertThat(st).singleElement().satisfies(a -> {
      assertThat(a.address()).isEqualTo(listen);
      assertThat(a.status()).isEqualTo(Reachability.Status.PUBLIC);
      assertThat(a.successes()).isEqualTo(3);
      assertThat(a.confidence()).isEqualTo(1.0);
      assertThat(a.reachableBy()).containsExactlyInAnyOrderElementsOf(servers);
    });
    assertThat(p.node().get()).isEqualTo(Reachability.Status.PUBLIC);
  }

  @Test void aClientWhoseAdvertisedAddressIsNotListeningIsFoundPrivate() throws Exception {
    Client c = client(2, AutonatClientConfig.DEFAULT);
    List<PeerId> servers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Server s = server(20 + i, SERVER);
      connect(c.host(), s.host());
      servers.add(s.host().peerId());
    }
    Multiaddr unreachable = closedPort();
    AutonatProbe p = probe(c);
    List<Reachability.AddressStatus> st = p.probe(servers, List.of(unreachable)).get(60, TimeUnit.SECONDS);
    assertThat(st).singleElement().satisfies(a -> {
      assertThat(a.status()).isEqualTo(Reachability.Status.PRIVATE);
      assertThat(a.failures()).isEqualTo(3);
      assertThat(a.unreachableBy()).containsExactlyInAnyOrderElementsOf(servers);
    });
    assertThat(p.node().get()).isEqualTo(Reachability.Status.PRIVATE);
  }

  @Test void v1ServerDialsTheRequesterBackOnItsObservedIp() throws Exception {
    Client c = client(3, AutonatClientConfig.DEFAULT);
    Server s = server(30, SERVER);
    connect(c.host(), s.host());
    Multiaddr listen = c.host().listenAddresses().get(0);
    V1Message.DialResponse ok = c.autonat().checkV1(s.host().peerId(), List.of(listen)).get(30, TimeUnit.SECONDS);
    assertThat(ok.status()).isEqualTo(V1Message.Status.OK);
    assertThat(ok.addr()).isEqualTo(listen);
    V1Message.DialResponse no = c.autonat().checkV1(s.host().peerId(), List.of(closedPort())).get(30, TimeUnit.SECONDS);
    assertThat(no.status()).isEqualTo(V1Message.Status.E_DIAL_ERROR);
  }

  @Test void perPeerRateLimitRejectsTheFloodButServesOthers() throws Exception {
    Server s = server(40, SERVER.withRates(2, 60, 12));
    Client flooder = client(41, AutonatClientConfig.DEFAULT);
    Client honest = client(42, AutonatClientConfig.DEFAULT);
    connect(flooder.host(), s.host());
    connect(honest.host(), s.host());
    Multiaddr fl = flooder.host().listenAddresses().get(0);
    List<V2Result> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) results.add(flooder.autonat().checkV2(s.host().peerId(), List.of(fl)).get(30, TimeUnit.SECONDS));
    assertThat(results.subList(0, 2)).allMatch(r -> r instanceof V2Result.Reachable);
    assertThat(results.subList(2, 5)).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(V2Result.Inconclusive.class,
        x -> assertThat(x.reason()).contains("rejected")));
    assertThat(s.autonat().dialBacks()).isEqualTo(2);
    assertThat(honest.autonat().checkV2(s.host().peerId(), List.of(honest.host().listenAddresses().get(0))).get(30, TimeUnit.SECONDS))
        .isInstanceOf(V2Result.Reachable.class);
  }

  @Test void globalRateLimitCapsDialBacksWhateverTheNumberOfPeers() throws Exception {
    Server s = server(50, SERVER.withRates(12, 3, 12));
    int reachable = 0;
    for (int i = 0; i < 6; i++) {
      Client c = client(51 + i, AutonatClientConfig.DEFAULT);
      connect(c.host(), s.host());
      if (c.autonat().checkV2(s.host().peerId(), List.of(c.host().listenAddresses().get(0))).get(30, TimeUnit.SECONDS) instanceof V2Result.Reachable) {
        reachable++;
      }
    }
    assertThat(reachable).isEqualTo(3);
    assertThat(s.autonat().dialBacks()).isEqualTo(3);
  }

  /** A victim on another IP (127.0.0.2: loopback routes all of 127/8) that counts connections. */
  AtomicInteger victim(ServerSocket[] holder) throws Exception {
    ServerSocket v = new ServerSocket();
    v.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
    sockets.add(v);
    holder[0] = v;
    AtomicInteger accepted = new AtomicInteger();
    Thread.ofVirtual().start(() -> {
      while (!v.isClosed()) {
        try (Socket s = v.accept()) {
          accepted.incrementAndGet();
        } catch (Exception e) {
          return;
        }
      }
    });
    return accepted;
  }

  @Test void dialsToAnotherIpNeedDialDataAndAttackersWhoWillNotPayGetNone() throws Exception {
    ServerSocket[] v = new ServerSocket[1];
    AtomicInteger victimConnections = victim(v);
    Multiaddr victimAddr = Multiaddr.parse("/ip4/127.0.0.2/tcp/" + v[0].getLocalPort());
    Server s = server(60, SERVER);
    Client attacker = client(61, AutonatClientConfig.DEFAULT.withMaxDialDataBytes(0));
    connect(attacker.host(), s.host());
    for (int i = 0; i < 5; i++) {
      V2Result r = attacker.autonat().checkV2(s.host().peerId(), List.of(victimAddr)).get(30, TimeUnit.SECONDS);
      assertThat(r).isInstanceOfSatisfying(V2Result.Inconclusive.class, x -> assertThat(x.reason()).contains("dial data"));
    }
    Thread.sleep(300);
    assertThat(s.autonat().dialBacks()).isZero();
    assertThat(victimConnections.get()).isZero();
  }

  @Test void aClientThatPaysDialDataGetsTheOtherIpDialled() throws Exception {
    ServerSocket[] v = new ServerSocket[1];
    AtomicInteger victimConnections = victim(v);
    Multiaddr other = Multiaddr.parse("/ip4/127.0.0.2/tcp/" + v[0].getLocalPort());
    Server s = server(70, SERVER);
    Client payer = client(71, AutonatClientConfig.DEFAULT);
    connect(payer.host(), s.host());
    V2Result r = payer.autonat().checkV2(s.host().peerId(), List.of(other)).get(30, TimeUnit.SECONDS);
    // Nothing speaks libp2p there, so the dial fails: but only after 30 kB were paid for it.
    assertThat(r).isInstanceOf(V2Result.Unreachable.class);
    assertThat(s.autonat().dialBacks()).isEqualTo(1);
    awaitAtLeast(victimConnections, 1);
  }

  @Test void withoutAmplificationProtectionAnyoneMakesTheServerDialAVictim() throws Exception {
    ServerSocket[] v = new ServerSocket[1];
    AtomicInteger victimConnections = victim(v);
    Multiaddr victimAddr = Multiaddr.parse("/ip4/127.0.0.2/tcp/" + v[0].getLocalPort());
    Server s = server(80, SERVER.withProtectAgainstAmplification(false));
    Client attacker = client(81, AutonatClientConfig.DEFAULT.withMaxDialDataBytes(0));
    connect(attacker.host(), s.host());
    int requestBytes = V2Codec.encode(V2Message.DialRequest.of(List.of(victimAddr), 1)).length;
    for (int i = 0; i < 5; i++) attacker.autonat().checkV2(s.host().peerId(), List.of(victimAddr)).get(30, TimeUnit.SECONDS);
    assertThat(s.autonat().dialBacks()).isEqualTo(5);
    awaitAtLeast(victimConnections, 5);
    assertThat(requestBytes).as("each victim connection cost the attacker a request this small").isLessThan(64);
  }

  @Test void v1WithoutTheObservedIpRuleDialsVictimsToo() throws Exception {
    ServerSocket[] v = new ServerSocket[1];
    AtomicInteger victimConnections = victim(v);
    Multiaddr victimAddr = Multiaddr.parse("/ip4/127.0.0.2/tcp/" + v[0].getLocalPort());
    Server safe = server(90, SERVER);
    Server unsafe = server(91, SERVER.withProtectAgainstAmplification(false));
    Client attacker = client(92, AutonatClientConfig.DEFAULT);
    connect(attacker.host(), safe.host());
    connect(attacker.host(), unsafe.host());
    assertThat(attacker.autonat().checkV1(safe.host().peerId(), List.of(victimAddr)).get(30, TimeUnit.SECONDS).status())
        .isEqualTo(V1Message.Status.E_DIAL_REFUSED);
    assertThat(safe.autonat().dialBacks()).isZero();
    assertThat(attacker.autonat().checkV1(unsafe.host().peerId(), List.of(victimAddr)).get(30, TimeUnit.SECONDS).status())
        .isEqualTo(V1Message.Status.E_DIAL_ERROR);
    assertThat(unsafe.autonat().dialBacks()).isEqualTo(1);
    awaitAtLeast(victimConnections, 1);
  }

  @Test void aServerThatClaimsSuccessWithoutDiallingBackIsNotBelieved() throws Exception {
    BasicHost liar = host(100, "/ip4/127.0.0.1/tcp/0");
    liar.setStreamHandler(AutonatProtocol.V2_DIAL_REQUEST, stream -> MessageStream.attach(stream, AutonatLimits.MAX_MESSAGE_BYTES, 10_000,
        liar.scheduler(), new MessageStream.Listener() {
          @Override public void onMessage(MessageStream ms, byte[] body) throws ProtocolViolationException {
            V2Codec.decode(body);
            ms.send(V2Codec.encode(new V2Message.DialResponse(V2Message.ResponseStatus.OK, 0, V2Message.DialStatus.OK)));
            ms.finish();
          }

          @Override public void onFailed(Throwable cause) {}
        }));
    Client c = client(101, AutonatClientConfig.DEFAULT);
    connect(c.host(), liar);
    V2Result r = c.autonat().checkV2(liar.peerId(), List.of(closedPort())).get(30, TimeUnit.SECONDS);
    assertThat(r).isInstanceOfSatisfying(V2Result.Inconclusive.class, x -> assertThat(x.reason()).contains("nonce never arrived"));
  }

  static void awaitAtLeast(AtomicInteger n, int want) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (n.get() < want && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(n.get()).isGreaterThanOrEqualTo(want);
  }
}
