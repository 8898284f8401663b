package dev.weft.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.SignaturePolicy;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * weft's gossipsub against js-libp2p's (@chainsafe/libp2p-gossipsub 14.1.2) over TCP + Noise +
 * Yamux on loopback: both sides mesh with each other, messages published on either side arrive on
 * the other with a verified StrictSign signature and the author's peer id. Skipped when node or
 * {@code interop/js/node_modules} is missing ({@code cd interop/js && npm ci}).
 */
@Timeout(120)
class GossipsubInteropIT {
  private static final String TOPIC = "weft/run/interop/state";
  private HostBuilder.Built weft;
  private GossipsubService service;
  private JsGossipPeer js;
  private final BlockingQueue<PubsubMessage> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    assumeTrue(JsGossipPeer.available(), "node or interop/js/node_modules missing");
    weft = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(1)).transport(TcpTransport::new)
        .listen("/ip4/127.0.0.1/tcp/0").buildWithServices();
    weft.host().start().join();
    BasicHost h = weft.host();
    // All interop peers share 127.0.0.1: exempt it from the colocation penalty, as the js side does.
    PeerScoreParams params = PeerScoreParams.defaults(Map.of(TOPIC, TopicScoreParams.defaults()));
    params = params.withIpColocationWhitelist(Set.of("127.0.0.1"));
    service = new GossipsubService(h, h.scheduler(), new Random(1), GossipsubConfig.defaults(), params, PeerScoreThresholds.defaults(),
        (m, id, from) -> received.add(m));
    service.start();
    js = new JsGossipPeer(2);
    assertThat(js.peerId).isEqualTo(PeerId.fromPublicKey(Ed25519.fromSeedNumber(2).publicKey()).toBase58());
  }

  @AfterEach
  void stop() throws Exception {
    if (js != null) js.close();
    if (service != null) service.close();
    if (weft != null) weft.host().close();
  }

  @Test
  void weftDialsJsAndMessagesFlowBothWays() throws Exception {
    service.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    js.command("{\"cmd\":\"subscribe\",\"topic\":\"" + TOPIC + "\"}");
    weft.host().dial(Multiaddr.parse(js.addr)).get(10, TimeUnit.SECONDS);
    exchange();
  }

  @Test
  void jsDialsWeftAndMessagesFlowBothWays() throws Exception {
    service.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    js.command("{\"cmd\":\"subscribe\",\"topic\":\"" + TOPIC + "\"}");
    String weftAddr = weft.host().listenAddresses().get(0).withPeerId(weft.host().peerId()).toString();
    js.command("{\"cmd\":\"dial\",\"addr\":\"" + weftAddr + "\"}");
    exchange();
  }

  private void exchange() throws Exception {
    PeerId jsPeer = PeerId.fromBase58(js.peerId);
    String weftPeer = weft.host().peerId().toBase58();
    long deadline = System.currentTimeMillis() + 20_000;
    boolean meshed = false;
    while (!meshed && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      String jsMesh = js.command("{\"cmd\":\"mesh\",\"topic\":\"" + TOPIC + "\"}");
      meshed = jsMesh.contains(weftPeer) && service.mesh(TOPIC).get(5, TimeUnit.SECONDS).contains(jsPeer);
    }
    assertThat(meshed).as("weft and js in each other's mesh").isTrue();

    byte[] fromJs = "hello from js".getBytes(StandardCharsets.UTF_8);
    String published = js.command("{\"cmd\":\"publish\",\"topic\":\"" + TOPIC + "\",\"data\":\"" + Base64.getEncoder().encodeToString(fromJs) + "\"}");
    PubsubMessage m = received.poll(10, TimeUnit.SECONDS);
    RouterCounters c = service.router().counters();
    assertThat(m).as("message from js (js said %s; weft received %d RPCs, %d messages, %d malformed, %d bad signatures, %d delivered)",
        published, c.rpcsReceived(), c.messagesReceived(), c.malformedRpcs(), c.invalidSignatures(), c.delivered()).isNotNull();
    assertThat(m.data()).isEqualTo(fromJs);
    assertThat(m.topic()).isEqualTo(TOPIC);
    assertThat(PeerId.fromBytes(m.from())).isEqualTo(jsPeer);
    assertThat(m.seqno()).hasSize(8);
    // Delivered under StrictSign means the signature checked; make it explicit.
    assertThat(new dev.weft.p2p.pubsub.MessageSigner().verify(m, SignaturePolicy.STRICT_SIGN).valid()).isTrue();

    byte[] fromWeft = "hello from weft".getBytes(StandardCharsets.UTF_8);
    GossipsubRouter.Published pub = service.publish(TOPIC, fromWeft).get(5, TimeUnit.SECONDS);
    assertThat(pub.peers()).isEqualTo(1);
    String event = js.awaitEvent(Base64.getEncoder().encodeToString(fromWeft), 10_000);
    assertThat(JsGossipPeer.field(event, "from")).isEqualTo(weftPeer);
    assertThat(event).contains("\"signed\":true");
    assertThat(JsGossipPeer.field(event, "seqno")).isEqualTo(Long.toUnsignedString(java.nio.ByteBuffer.wrap(pub.message().seqno()).getLong()));
  }
}
