package dev.weft.p2p.pubsub.gossipsub;

import static dev.weft.p2p.pubsub.gossipsub.RouterHarness.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.Rpc;
import dev.weft.p2p.pubsub.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GossipsubRouterTest {
  private final RouterHarness h = new RouterHarness();
  private final GossipsubRouter r = h.router;

  @Test
  void newPeerGetsOurSubscriptionsAndJoinGraftsDPeers() {
    List<PeerId> peers = h.subscribedPeers(20, 0);
    r.subscribe(TOPIC);
    assertThat(r.mesh(TOPIC)).hasSize(6);
    for (PeerId p : peers) {
      assertThat(h.sentTo(p).get(0).subscriptions()).containsExactly(new Rpc.Subscription(true, TOPIC));
      assertThat(h.graftsTo(p)).hasSize(r.mesh(TOPIC).contains(p) ? 1 : 0);
    }
    PeerId late = h.newPeer(GossipsubProtocol.MESHSUB_V11, false, null);
    assertThat(h.sentTo(late)).singleElement().satisfies(rpc -> assertThat(rpc.subscriptions()).containsExactly(new Rpc.Subscription(true, TOPIC)));
  }

  @Test
  void heartbeatFillsAnUndersubscribedMesh() {
    r.subscribe(TOPIC);
    assertThat(r.mesh(TOPIC)).isEmpty();
    h.subscribedPeers(3, 0);
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).hasSize(3);
    h.subscribedPeers(10, 0);
    r.heartbeat();
    // 3 < D_lo = 5, so it grafts up to D = 6.
    assertThat(r.mesh(TOPIC)).hasSize(6);
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).hasSize(6);
  }

  @Test
  void oversubscribedMeshIsPrunedToDKeepingOutboundQuotaWithPeerExchange() {
    r.subscribe(TOPIC);
    List<PeerId> inbound = h.subscribedPeers(15, 0);
    List<PeerId> outbound = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      PeerId p = h.newPeer(GossipsubProtocol.MESHSUB_V11, true, "10.1.0." + i);
      r.handleRpc(p, new Rpc(List.of(new Rpc.Subscription(true, TOPIC)), List.of(), null));
      outbound.add(p);
    }
    h.clearSent();
    for (PeerId p : inbound) h.control(p, RouterHarness.graft(TOPIC));
    // Inbound GRAFTs are accepted only up to D_hi = 12; the rest get a PRUNE with backoff.
    assertThat(r.mesh(TOPIC)).hasSize(12);
    long refused = inbound.stream().filter(p -> !h.prunesTo(p).isEmpty()).count();
    assertThat(refused).isEqualTo(3);
    for (PeerId p : outbound) h.control(p, RouterHarness.graft(TOPIC));
    assertThat(r.mesh(TOPIC)).hasSize(14).containsAll(outbound);
    h.clearSent();
    r.heartbeat();
    Set<PeerId> mesh = r.mesh(TOPIC);
    assertThat(mesh).hasSize(6).containsAll(outbound);
    int pruned = 0;
    for (PeerId p : inbound) {
      List<Rpc.Prune> prunes = h.prunesTo(p);
      if (mesh.contains(p)) {
        assertThat(prunes).isEmpty();
      } else if (!prunes.isEmpty()) {
        pruned++;
        Rpc.Prune pr = prunes.get(0);
        assertThat(pr.backoffSeconds()).isEqualTo(60L);
        assertThat(pr.peers()).isNotEmpty().hasSizeLessThanOrEqualTo(16);
        assertThat(pr.peers()).noneMatch(pi -> PeerId.fromBytes(pi.peerId()).equals(p));
      }
    }
    assertThat(pruned).isEqualTo(8);
  }

  @Test
  void graftDuringBackoffIsRefusedAndPenalised() {
    r.subscribe(TOPIC);
    PeerId p = h.subscribedPeers(1, 0).get(0);
    h.control(p, RouterHarness.prune(TOPIC, List.of(), 60L));
    assertThat(r.mesh(TOPIC)).doesNotContain(p);
    h.clearSent();
    h.scheduler.runFor(5_000);
    h.control(p, RouterHarness.graft(TOPIC));
    assertThat(r.mesh(TOPIC)).doesNotContain(p);
    assertThat(h.prunesTo(p)).singleElement().satisfies(pr -> assertThat(pr.backoffSeconds()).isEqualTo(60L));
    // Within the 10 s graft-flood threshold: two penalties, P₇ = 2² × -10.
    assertThat(r.score(p)).isCloseTo(-40, within(1e-9));
    // The backoff is honoured by the heartbeat: no re-graft of p while it lasts.
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).doesNotContain(p);
  }

  @Test
  void pruneBackoffFromRemoteIsHonouredThenExpires() {
    r.subscribe(TOPIC);
    PeerId p = h.subscribedPeers(1, 0).get(0);
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).containsExactly(p);
    h.control(p, RouterHarness.prune(TOPIC, List.of(), 30L));
    assertThat(r.mesh(TOPIC)).isEmpty();
    for (int s = 1; s <= 31; s++) {
      h.scheduler.runFor(1_000);
      r.heartbeat();
      assertThat(r.mesh(TOPIC)).as("second %d", s).isEmpty();
    }
    // Backoff (30 s) plus two heartbeats of slack.
    h.scheduler.runFor(2_000);
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).containsExactly(p);
  }

  @Test
  void aHugePruneBackoffIsCappedNotWrappedAround() {
    r.subscribe(TOPIC);
    PeerId p = h.subscribedPeers(1, 0).get(0);
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).containsExactly(p);
    // uint64 seconds just past what fits in a long once scaled to milliseconds.
    h.control(p, RouterHarness.prune(TOPIC, List.of(), Long.MAX_VALUE / 1000 + 1));
    h.scheduler.runFor(5_000);
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).as("still in backoff after 5 s").isEmpty();
    h.scheduler.runFor(GossipsubRouter.MAX_BACKOFF_MILLIS - 10_000);
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).as("still in backoff just before the cap").isEmpty();
    h.scheduler.runFor(10_000);
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).as("backoff ends at the cap").containsExactly(p);
  }

  @Test
  void graftForUnknownTopicIsIgnoredWithoutReply() {
    PeerId p = h.subscribedPeers(1, 0).get(0);
    h.clearSent();
    h.control(p, RouterHarness.graft("not-ours"));
    assertThat(h.sentTo(p)).isEmpty();
  }

  @Test
  void v10PeersGetPrunesWithoutBackoffOrPeerExchange() {
    r.subscribe(TOPIC);
    PeerId old = h.newPeer(GossipsubProtocol.MESHSUB_V10, false, null);
    r.handleRpc(old, new Rpc(List.of(new Rpc.Subscription(true, TOPIC)), List.of(), null));
    r.heartbeat();
    assertThat(r.mesh(TOPIC)).contains(old);
    h.clearSent();
    r.unsubscribe(TOPIC);
    assertThat(h.prunesTo(old)).singleElement().satisfies(pr -> {
      assertThat(pr.backoffSeconds()).isNull();
      assertThat(pr.peers()).isEmpty();
    });
  }

  @Test
  void forwardsToMeshExceptSourceAndAuthorThenGossipsToOthers() {
    List<PeerId> peers = h.subscribedPeers(20, 0);
    r.subscribe(TOPIC);
    Set<PeerId> mesh = r.mesh(TOPIC);
    PeerId source = mesh.iterator().next();
    PeerId author = peers.stream().filter(p -> !mesh.contains(p)).findFirst().orElseThrow();
    PubsubMessage m = h.messageFrom(author, new byte[] {1, 2, 3});
    h.clearSent();
    r.handleRpc(source, Rpc.ofMessages(List.of(m)));
    assertThat(h.delivered).containsExactly(m);
    for (PeerId p : peers) {
      boolean expected = mesh.contains(p) && !p.equals(source);
      assertThat(h.messagesTo(p)).as("forwarded to %s", p).hasSize(expected ? 1 : 0);
    }
    h.clearSent();
    r.heartbeat();
    int gossiped = 0;
    for (PeerId p : peers) {
      List<Rpc.IHave> ihaves = h.ihavesTo(p);
      if (mesh.contains(p)) {
        assertThat(ihaves).isEmpty();
      } else if (!ihaves.isEmpty()) {
        gossiped++;
        assertThat(ihaves.get(0).ids()).containsExactly(h.id(m));
      }
    }
    // 14 eligible non-mesh peers: max(D_lazy = 6, 0.25 × 14 = 3) = 6.
    assertThat(gossiped).isEqualTo(6);
    // A duplicate is neither delivered nor forwarded again.
    h.clearSent();
    r.handleRpc(author, Rpc.ofMessages(List.of(m)));
    assertThat(h.delivered).hasSize(1);
    assertThat(h.sent).isEmpty();
    assertThat(r.counters().duplicates()).isEqualTo(1);
  }

  @Test
  void ihaveOfUnseenIdsIsAnsweredWithIWantWithinLimits() {
    r.subscribe(TOPIC);
    List<PeerId> peers = h.subscribedPeers(2, 0);
    PeerId p = peers.get(0);
    PubsubMessage known = h.messageFrom(peers.get(1), new byte[] {1});
    r.handleRpc(peers.get(1), Rpc.ofMessages(List.of(known)));
    MessageId unknown = MessageId.of(new byte[] {42});
    h.clearSent();
    h.control(p, RouterHarness.ihave(TOPIC, List.of(h.id(known), unknown)));
    assertThat(h.iwantsTo(p)).containsExactly(unknown);
    // IHAVE for a topic we are not in is ignored.
    h.clearSent();
    h.control(p, RouterHarness.ihave("other", List.of(MessageId.of(new byte[] {43}))));
    assertThat(h.iwantsTo(p)).isEmpty();
    // At most maxIHaveMessages (10) IHAVEs per heartbeat are considered.
    h.clearSent();
    for (int i = 0; i < 20; i++) h.control(p, RouterHarness.ihave(TOPIC, List.of(MessageId.of(new byte[] {1, (byte) i}))));
    assertThat(h.iwantsTo(p)).hasSize(8); // two IHAVEs of this heartbeat were already counted above
    r.heartbeat();
    h.clearSent();
    h.control(p, RouterHarness.ihave(TOPIC, List.of(MessageId.of(new byte[] {2}))));
    assertThat(h.iwantsTo(p)).hasSize(1);
  }

  @Test
  void iwantIsServedAtMostGossipRetransmissionTimesAndFloodsAreHarmless() {
    r.subscribe(TOPIC);
    List<PeerId> peers = h.subscribedPeers(2, 0);
    PubsubMessage m = h.messageFrom(peers.get(1), new byte[] {7});
    r.handleRpc(peers.get(1), Rpc.ofMessages(List.of(m)));
    PeerId asker = peers.get(0);
    h.clearSent();
    for (int i = 0; i < 5; i++) h.control(asker, RouterHarness.iwant(List.of(h.id(m))));
    assertThat(h.messagesTo(asker)).hasSize(3);
    assertThat(r.counters().iwantRefused()).isEqualTo(2);
    // A flood of 5000 unknown ids costs lookups only.
    List<MessageId> junk = new ArrayList<>();
    for (int i = 0; i < 5000; i++) junk.add(MessageId.of(new byte[] {(byte) (i >> 8), (byte) i, 9}));
    h.clearSent();
    h.control(asker, RouterHarness.iwant(junk));
    assertThat(h.messagesTo(asker)).isEmpty();
  }

  @Test
  void brokenIWantPromiseCostsABehaviourPenalty() {
    r.subscribe(TOPIC);
    PeerId liar = h.subscribedPeers(1, 0).get(0);
    h.control(liar, RouterHarness.ihave(TOPIC, List.of(MessageId.of(new byte[] {1, 2, 3}))));
    assertThat(h.iwantsTo(liar)).hasSize(1);
    h.scheduler.runFor(2_000);
    r.heartbeat();
    assertThat(r.score(liar)).isGreaterThanOrEqualTo(0);
    h.scheduler.runFor(1_500);
    r.heartbeat();
    // P₇ = 1² × -10, then one decay (×0.9) happened in the same heartbeat at most.
    assertThat(r.score(liar)).isLessThan(-8);
  }

  @Test
  void invalidSignaturesArePenalisedUntilTheSenderIsGraylisted() {
    r.subscribe(TOPIC);
    List<PeerId> peers = h.subscribedPeers(2, 0);
    PeerId spammer = peers.get(0);
    PubsubMessage good = h.messageFrom(spammer, new byte[] {1});
    PubsubMessage bad = new PubsubMessage(good.from(), new byte[] {2}, good.seqno(), TOPIC, good.signature(), good.key());
    r.handleRpc(spammer, Rpc.ofMessages(List.of(bad)));
    assertThat(r.counters().invalidSignatures()).isEqualTo(1);
    assertThat(h.delivered).isEmpty();
    assertThat(r.score(spammer)).isCloseTo(-10, within(1e-9));
    // The forged copy did not poison the id: the genuine message still gets through.
    r.handleRpc(peers.get(1), Rpc.ofMessages(List.of(good)));
    assertThat(h.delivered).containsExactly(good);
    PubsubMessage bad2 = new PubsubMessage(good.from(), new byte[] {3}, h.messageFrom(spammer, new byte[0]).seqno(), TOPIC, good.signature(), good.key());
    r.handleRpc(spammer, Rpc.ofMessages(List.of(bad2)));
    assertThat(r.score(spammer)).isCloseTo(-40, within(1e-9));
    r.handleRpc(spammer, Rpc.ofMessages(List.of(bad2)));
    assertThat(r.score(spammer)).isCloseTo(-90, within(1e-9)).isLessThan(PeerScoreThresholds.defaults().graylist());
    long before = r.counters().graylistedRpcs();
    r.handleRpc(spammer, Rpc.ofMessages(List.of(h.messageFrom(spammer, new byte[] {9}))));
    assertThat(r.counters().graylistedRpcs()).isEqualTo(before + 1);
    assertThat(h.delivered).hasSize(1);
  }

  @Test
  void malformedRpcBytesAreDroppedAndCountedAgainstTheSender() {
    PeerId p = h.subscribedPeers(1, 0).get(0);
    r.handleRpcBytes(p, new byte[] {0x12, 0x7f, 0x01});
    r.handleRpcBytes(p, new byte[] {0x08, 0x01});
    assertThat(r.counters().malformedRpcs()).isEqualTo(2);
    assertThat(r.score(p)).isCloseTo(-40, within(1e-9));
  }

  @Test
  void validatorRejectPenalisesIgnoreDoesNot() {
    r.subscribe(TOPIC);
    List<PeerId> peers = h.subscribedPeers(2, 0);
    r.setValidator(TOPIC, (from, m) -> CompletableFuture.completedFuture(
        m.data()[0] == 0 ? ValidationResult.REJECT : m.data()[0] == 1 ? ValidationResult.IGNORE : ValidationResult.ACCEPT));
    r.handleRpc(peers.get(0), Rpc.ofMessages(List.of(h.messageFrom(peers.get(1), new byte[] {1}))));
    assertThat(r.score(peers.get(0))).isEqualTo(0);
    r.handleRpc(peers.get(0), Rpc.ofMessages(List.of(h.messageFrom(peers.get(1), new byte[] {0}))));
    assertThat(r.score(peers.get(0))).isCloseTo(-10, within(1e-9));
    r.handleRpc(peers.get(1), Rpc.ofMessages(List.of(h.messageFrom(peers.get(1), new byte[] {2}))));
    assertThat(h.delivered).hasSize(1);
    // P₂: one first delivery, weight 1.
    assertThat(r.score(peers.get(1))).isCloseTo(1, within(1e-9));
  }

  @Test
  void asyncValidationDeliversLaterAndTimesOutAsIgnore() {
    r.subscribe(TOPIC);
    List<PeerId> peers = h.subscribedPeers(2, 0);
    List<CompletableFuture<ValidationResult>> pending = new ArrayList<>();
    r.setValidator(TOPIC, (from, m) -> {
      CompletableFuture<ValidationResult> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    });
    PubsubMessage m1 = h.messageFrom(peers.get(1), new byte[] {1});
    PubsubMessage m2 = h.messageFrom(peers.get(1), new byte[] {2});
    r.handleRpc(peers.get(0), Rpc.ofMessages(List.of(m1, m2)));
    // A duplicate while validating is recorded, not validated twice.
    r.handleRpc(peers.get(1), Rpc.ofMessages(List.of(m1)));
    assertThat(pending).hasSize(2);
    assertThat(h.delivered).isEmpty();
    pending.get(0).complete(ValidationResult.ACCEPT);
    h.scheduler.runFor(1);
    assertThat(h.delivered).containsExactly(m1);
    h.scheduler.runFor(GossipsubConfig.defaults().validationTimeoutMillis());
    assertThat(r.counters().ignored()).isEqualTo(1);
    pending.get(1).complete(ValidationResult.ACCEPT);
    h.scheduler.runFor(1);
    assertThat(h.delivered).containsExactly(m1);
  }

  @Test
  void floodPublishReachesEveryTopicPeerAndFanoutOnlyD() {
    List<PeerId> peers = h.subscribedPeers(20, 0);
    h.clearSent();
    GossipsubRouter.Published pub = r.publish(TOPIC, new byte[] {1});
    assertThat(pub.peers()).isEqualTo(20);
    for (PeerId p : peers) assertThat(h.messagesTo(p)).containsExactly(pub.message());

    RouterHarness h2 = new RouterHarness(GossipsubConfig.defaults().withFloodPublish(false), p -> 0);
    List<PeerId> peers2 = h2.subscribedPeers(20, 0);
    GossipsubRouter.Published pub2 = h2.router.publish(TOPIC, new byte[] {1});
    assertThat(pub2.peers()).isEqualTo(6);
    assertThat(h2.router.fanout(TOPIC)).hasSize(6);
    assertThat(peers2.stream().filter(p -> !h2.messagesTo(p).isEmpty()).count()).isEqualTo(6);
    // The fanout is forgotten after fanoutTtl without publishing.
    h2.scheduler.runFor(61_000);
    h2.router.heartbeat();
    assertThat(h2.router.fanout(TOPIC)).isEmpty();
  }

  @Test
  void idontwantSuppressesForwardingAndIsSentForLargeMessages() {
    RouterHarness h3 = new RouterHarness(GossipsubConfig.defaults().withIDontWantMinDataBytes(100), p -> 0);
    GossipsubRouter r3 = h3.router;
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      PeerId p = h3.newPeer(GossipsubProtocol.MESHSUB_V12, false, null);
      r3.handleRpc(p, new Rpc(List.of(new Rpc.Subscription(true, TOPIC)), List.of(), null));
      peers.add(p);
    }
    r3.subscribe(TOPIC);
    assertThat(r3.mesh(TOPIC)).hasSize(6);
    PubsubMessage big = h3.messageFrom(peers.get(5), new byte[200]);
    h3.control(peers.get(1), RouterHarness.idontwant(List.of(h3.id(big))));
    h3.clearSent();
    r3.handleRpc(peers.get(0), Rpc.ofMessages(List.of(big)));
    assertThat(h3.messagesTo(peers.get(1))).isEmpty();
    assertThat(h3.messagesTo(peers.get(2))).hasSize(1);
    assertThat(h3.idontwantsTo(peers.get(2))).containsExactly(h3.id(big));
    assertThat(h3.idontwantsTo(peers.get(0))).isEmpty();
    PubsubMessage small = h3.messageFrom(peers.get(5), new byte[10]);
    h3.clearSent();
    r3.handleRpc(peers.get(0), Rpc.ofMessages(List.of(small)));
    assertThat(h3.idontwantsTo(peers.get(2))).isEmpty();
  }

  @Test
  void peerExchangeIsFollowedOnlyFromWellScoredPeers() {
    List<PeerId> trusted = new ArrayList<>();
    RouterHarness h4 = new RouterHarness(GossipsubConfig.defaults(), p -> trusted.contains(p) ? 100 : 0);
    h4.router.subscribe(TOPIC);
    List<PeerId> peers = h4.subscribedPeers(2, 0);
    trusted.add(peers.get(0));
    byte[] stranger = dev.weft.p2p.pubsub.TestKeys.generate(new java.util.Random(99)).publicKey().marshal();
    PeerId strangerId = PeerId.fromPublicKey(dev.weft.p2p.pubsub.TestKeys.decode(stranger));
    List<Rpc.PeerInfo> px = List.of(new Rpc.PeerInfo(strangerId.bytes(), null), new Rpc.PeerInfo(new byte[] {1, 2}, null));
    h4.control(peers.get(1), RouterHarness.prune(TOPIC, px, 60L));
    assertThat(h4.connectRequests).isEmpty();
    h4.control(peers.get(0), RouterHarness.prune(TOPIC, px, 60L));
    assertThat(h4.connectRequests).containsExactly(strangerId);
  }

  @Test
  void ownMessagesAreNotDeliveredBackOrForwarded() {
    List<PeerId> peers = h.subscribedPeers(3, 0);
    r.subscribe(TOPIC);
    GossipsubRouter.Published pub = r.publish(TOPIC, new byte[] {5});
    h.clearSent();
    r.handleRpc(peers.get(0), Rpc.ofMessages(List.of(pub.message())));
    assertThat(h.delivered).isEmpty();
    assertThat(h.sent).isEmpty();
  }

  @Test
  void negativeScoringMeshPeersArePrunedAtHeartbeat() {
    List<PeerId> peers = h.subscribedPeers(8, 0);
    r.subscribe(TOPIC);
    PeerId bad = r.mesh(TOPIC).iterator().next();
    r.handleRpcBytes(bad, new byte[] {0x08, 0x01});
    assertThat(r.score(bad)).isNegative();
    h.clearSent();
    r.heartbeat();
    // 5 left = D_lo: not undersubscribed, so nobody is grafted in its place yet.
    assertThat(r.mesh(TOPIC)).doesNotContain(bad).hasSize(5);
    assertThat(h.prunesTo(bad)).singleElement().satisfies(pr -> assertThat(pr.peers()).isEmpty());
    assertThat(peers).contains(bad);
  }

  @Test
  void oversizedPublishIsRefusedAndOversizedRpcsNeverReachTheRouter() {
    h.subscribedPeers(1, 0);
    byte[] tooBig = new byte[dev.weft.p2p.pubsub.RpcLimits.DEFAULT_MAX_DATA_BYTES + 1];
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.publish(TOPIC, tooBig)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds");
    PeerId p = r.peers().iterator().next();
    byte[] huge = new byte[dev.weft.p2p.pubsub.RpcLimits.DEFAULT_MAX_RPC_BYTES + 1];
    long before = r.counters().rpcsReceived();
    r.handleRpcBytes(p, huge);
    assertThat(r.counters().malformedRpcs()).isEqualTo(1);
    assertThat(r.counters().rpcsReceived()).isEqualTo(before);
    assertThat(r.score(p)).isCloseTo(-10, within(1e-9));
  }

  @Test
  void strangersAndTopicFloodsAreBounded() {
    PeerId stranger = dev.weft.p2p.api.PeerId.fromPublicKey(dev.weft.p2p.pubsub.TestKeys.generate(new java.util.Random(5)).publicKey());
    r.handleRpc(stranger, new Rpc(List.of(new Rpc.Subscription(true, TOPIC)), List.of(), null));
    assertThat(r.topicPeers(TOPIC)).isEmpty();
    PeerId p = h.subscribedPeers(1, 0).get(0);
    List<Rpc.Subscription> many = new ArrayList<>();
    for (int i = 0; i < 2 * PeerState.MAX_TOPICS_PER_PEER; i++) many.add(new Rpc.Subscription(true, "topic-" + i));
    r.handleRpc(p, new Rpc(many.subList(0, 1000), List.of(), null));
    r.handleRpc(p, new Rpc(many.subList(1000, 2000), List.of(), null));
    assertThat(r.topicPeers("topic-" + (PeerState.MAX_TOPICS_PER_PEER - 2))).containsExactly(p);
    assertThat(r.topicPeers("topic-" + (PeerState.MAX_TOPICS_PER_PEER + 5))).isEmpty();
  }
}
