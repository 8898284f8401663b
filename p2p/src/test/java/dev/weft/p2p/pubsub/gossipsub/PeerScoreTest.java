package dev.weft.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.TestKeys;
import dev.weft.p2p.time.SimScheduler;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Score arithmetic against values computed by hand from the v1.1 formulas. */
class PeerScoreTest {
  private static final double EPS = 1e-9;
  private final SimScheduler clock = new SimScheduler(1);
  private final Random random = new Random(3);
  private final Map<PeerId, Double> app = new HashMap<>();

  /** tᵢ = 2; w₁ = 0.5 per 1 s up to 10; w₂ = 1, decay 0.5, cap 5; w₃ = -1, threshold 4, cap 8, activation 1 s, window 10 ms; w₃b = -2, decay 0.5; w₄ = -10, decay 0.5. */
  private static TopicScoreParams topic() {
    return new TopicScoreParams(2, 0.5, 1_000, 10, 1, 0.5, 5, -1, 0.5, 4, 8, 1_000, 10, -2, 0.5, -10, 0.5);
  }

  private PeerScore score(double cap) {
    return new PeerScore(new PeerScoreParams(Map.of("t", topic()), cap, p -> app.getOrDefault(p, 0.0), 0.5,
        -3, 2, Set.of("127.0.0.1"), -2, 1, 0.5, 1_000, 0.1, 60_000, null), clock);
  }

  private PeerId peer() {
    return PeerId.fromPublicKey(TestKeys.generate(random).publicKey());
  }

  private static MessageId id(int i) {
    return MessageId.of(new byte[] {(byte) i});
  }

  @Test
  void timeInMeshIsQuantisedCappedAndWeighted() {
    PeerScore s = score(0);
    PeerId p = peer();
    s.addPeer(p, "1.1.1.1");
    s.graft(p, "t");
    clock.runFor(3_500);
    // P₁ = floor(3.5 s / 1 s) = 3; 3 × 0.5 × t(2) = 3. P₃ is active (3.5 s > 1 s) with 0 deliveries: (4-0)² × -1 × 2 = -32.
    assertThat(s.score(p)).isCloseTo(3 - 32, within(EPS));
    clock.runFor(100_000);
    // P₁ capped at 10: 10 × 0.5 × 2 = 10.
    assertThat(s.score(p)).isCloseTo(10 - 32, within(EPS));
  }

  @Test
  void firstDeliveriesCountCapAndDecay() {
    PeerScore s = score(0);
    PeerId p = peer();
    s.addPeer(p, null);
    for (int i = 0; i < 7; i++) {
      s.validateMessage(id(i));
      s.deliverMessage(p, id(i), "t");
    }
    // P₂ capped at 5: 5 × 1 × 2 = 10.
    assertThat(s.score(p)).isCloseTo(10, within(EPS));
    s.refresh();
    assertThat(s.score(p)).isCloseTo(5, within(EPS));
    s.refresh();
    s.refresh();
    s.refresh();
    s.refresh();
    // 5 × 0.5⁵ = 0.15625 ≥ decayToZero 0.1 → 0.3125; one more decay gives 0.078 < 0.1 → 0.
    assertThat(s.score(p)).isCloseTo(0.3125, within(EPS));
    s.refresh();
    assertThat(s.score(p)).isEqualTo(0);
  }

  @Test
  void meshDeliveriesIncludeNearFirstDuplicatesOnlyWithinTheWindow() {
    PeerScore s = score(0);
    PeerId first = peer(), near = peer(), late = peer();
    for (PeerId p : new PeerId[] {first, near, late}) {
      s.addPeer(p, null);
      s.graft(p, "t");
    }
    clock.runFor(2_000);
    s.validateMessage(id(1));
    s.deliverMessage(first, id(1), "t");
    clock.runFor(5);
    s.duplicateMessage(near, id(1), "t");
    clock.runFor(20);
    s.duplicateMessage(late, id(1), "t");
    // P₁ = 2 → 2 × 0.5 × 2 = 2 for each.
    // first: P₂ = 1 (2), P₃ deficit 4-1 = 3 → -9 × 2 = -18 → 2 + 2 - 18 = -14
    assertThat(s.score(first)).isCloseTo(-14, within(EPS));
    // near: P₃ 1 → -18; no P₂ → 2 - 18 = -16
    assertThat(s.score(near)).isCloseTo(-16, within(EPS));
    // late: 25 ms after validation > 10 ms window → P₃ 0 → -16 × 2 = -32 → 2 - 32 = -30
    assertThat(s.score(late)).isCloseTo(-30, within(EPS));
  }

  @Test
  void duplicatesDuringValidationCountAsNearFirstOnceAccepted() {
    PeerScore s = score(0);
    PeerId first = peer(), dup = peer();
    for (PeerId p : new PeerId[] {first, dup}) {
      s.addPeer(p, null);
      s.graft(p, "t");
    }
    s.validateMessage(id(1));
    clock.runFor(500);
    s.duplicateMessage(dup, id(1), "t");
    s.deliverMessage(first, id(1), "t");
    // At 500 ms P₃ is not active yet and P₁ = 0: first has P₂ = 1 → 2; dup has nothing positive yet.
    assertThat(s.score(first)).isCloseTo(2, within(EPS));
    assertThat(s.score(dup)).isCloseTo(0, within(EPS));
    clock.runFor(1_000);
    // 1.5 s: P₁ = 1 → 1; P₃ active, 1 delivery each → (4-1)² × -1 × 2 = -18.
    assertThat(s.score(first)).isCloseTo(1 + 2 - 18, within(EPS));
    assertThat(s.score(dup)).isCloseTo(1 - 18, within(EPS));
  }

  @Test
  void pruneWithDeficitLeavesStickyFailurePenalty() {
    PeerScore s = score(0);
    PeerId p = peer();
    s.addPeer(p, null);
    s.graft(p, "t");
    clock.runFor(1_500);
    s.validateMessage(id(1));
    s.deliverMessage(p, id(1), "t");
    s.prune(p, "t");
    // P₃b = (4-1)² = 9 × -2 × 2 = -36, plus P₂ = 1 × 2 = 2.
    assertThat(s.score(p)).isCloseTo(-34, within(EPS));
    s.refresh();
    // P₃b 4.5 → -18; P₂ 0.5 → 1.
    assertThat(s.score(p)).isCloseTo(-17, within(EPS));
  }

  @Test
  void invalidMessagesAreSquaredAndReachEveryoneWhoForwardedDuringValidation() {
    PeerScore s = score(0);
    PeerId sender = peer(), echo = peer();
    s.addPeer(sender, null);
    s.addPeer(echo, null);
    s.validateMessage(id(1));
    s.duplicateMessage(echo, id(1), "t");
    s.rejectMessage(sender, id(1), "t");
    assertThat(s.score(sender)).isCloseTo(-20, within(EPS));
    assertThat(s.score(echo)).isCloseTo(-20, within(EPS));
    // A copy arriving after the verdict is judged at once.
    s.duplicateMessage(echo, id(1), "t");
    s.invalidMessage(sender, "t");
    s.invalidMessage(sender, "t");
    // sender: P₄ = 3² × -10 × 2 = -180; echo: 2² × -10 × 2 = -80.
    assertThat(s.score(sender)).isCloseTo(-180, within(EPS));
    assertThat(s.score(echo)).isCloseTo(-80, within(EPS));
    s.refresh();
    // 1.5² × -20 = -45
    assertThat(s.score(sender)).isCloseTo(-45, within(EPS));
  }

  @Test
  void ignoredMessagesBlameNobody() {
    PeerScore s = score(0);
    PeerId sender = peer(), echo = peer();
    s.addPeer(sender, null);
    s.addPeer(echo, null);
    s.validateMessage(id(1));
    s.duplicateMessage(echo, id(1), "t");
    s.ignoreMessage(id(1));
    s.duplicateMessage(echo, id(1), "t");
    assertThat(s.score(sender)).isEqualTo(0);
    assertThat(s.score(echo)).isEqualTo(0);
  }

  @Test
  void topicCapAppScoreColocationAndBehaviourPenalty() {
    PeerScore s = score(6);
    PeerId p = peer();
    s.addPeer(p, "9.9.9.9");
    for (int i = 0; i < 5; i++) {
      s.validateMessage(id(i));
      s.deliverMessage(p, id(i), "t");
    }
    // Topic part 5 × 2 = 10, capped at 6.
    assertThat(s.score(p)).isCloseTo(6, within(EPS));
    app.put(p, 4.0);
    // P₅ = 4 × 0.5 = 2.
    assertThat(s.score(p)).isCloseTo(8, within(EPS));
    PeerId q1 = peer(), q2 = peer(), q3 = peer();
    s.addPeer(q1, "9.9.9.9");
    s.addPeer(q2, "9.9.9.9");
    s.addPeer(q3, "9.9.9.9");
    // 4 peers on the IP, threshold 2: surplus 2 → 2² × -3 = -12.
    assertThat(s.score(p)).isCloseTo(8 - 12, within(EPS));
    assertThat(s.score(q1)).isCloseTo(-12, within(EPS));
    s.removePeer(q3);
    assertThat(s.score(q1)).isCloseTo(-3, within(EPS));
    // Whitelisted IPs do not count.
    PeerId l1 = peer(), l2 = peer(), l3 = peer();
    for (PeerId l : new PeerId[] {l1, l2, l3}) s.addPeer(l, "127.0.0.1");
    assertThat(s.score(l1)).isEqualTo(0);
    // P₇: counter 3, threshold 1 → (3-1)² × -2 = -8.
    s.addPenalty(l1, 3);
    assertThat(s.score(l1)).isCloseTo(-8, within(EPS));
    s.refresh();
    // 1.5 → (0.5)² × -2 = -0.5
    assertThat(s.score(l1)).isCloseTo(-0.5, within(EPS));
  }

  @Test
  void negativeScoresSurviveReconnectionPositiveOnesDoNot() {
    PeerScore s = score(0);
    PeerId bad = peer(), good = peer();
    s.addPeer(bad, null);
    s.addPeer(good, null);
    s.invalidMessage(bad, "t");
    s.validateMessage(id(1));
    s.deliverMessage(good, id(1), "t");
    s.removePeer(bad);
    s.removePeer(good);
    s.addPeer(bad, null);
    s.addPeer(good, null);
    assertThat(s.score(bad)).isCloseTo(-20, within(EPS));
    assertThat(s.score(good)).isEqualTo(0);
    s.removePeer(bad);
    clock.runFor(60_001);
    s.refresh();
    assertThat(s.trackedPeers()).isEqualTo(1);
  }

  @Test
  void unconfiguredTopicsCountOnlyWithADefault() {
    PeerScore plain = score(0);
    PeerScore withDefault = new PeerScore(plain.params().withDefaultTopic(topic()), clock);
    PeerId p = peer();
    plain.addPeer(p, null);
    withDefault.addPeer(p, null);
    plain.invalidMessage(p, "elsewhere");
    withDefault.invalidMessage(p, "elsewhere");
    assertThat(plain.score(p)).isEqualTo(0);
    assertThat(withDefault.score(p)).isCloseTo(-20, within(EPS));
  }

  @Test
  void parametersAreValidated() {
    assertThatThrownBy(() -> new PeerScoreThresholds(1, -1, -2, 0, 0)).hasMessageContaining("gossip");
    assertThatThrownBy(() -> new PeerScoreThresholds(-10, -5, -20, 0, 0)).hasMessageContaining("publish");
    assertThatThrownBy(() -> new PeerScoreThresholds(-10, -20, -20, 0, 0)).hasMessageContaining("graylist");
    assertThatThrownBy(() -> new TopicScoreParams(1, 0.5, 1_000, 10, 1, 1.5, 5, -1, 0.5, 4, 8, 1_000, 10, -2, 0.5, -10, 0.5))
        .hasMessageContaining("firstMessageDeliveriesDecay");
    assertThatThrownBy(() -> new TopicScoreParams(1, 0.5, 1_000, 10, 1, 0.5, 5, -1, 0.5, 4, 3, 1_000, 10, -2, 0.5, -10, 0.5))
        .hasMessageContaining("meshMessageDeliveriesCap");
    assertThatThrownBy(() -> GossipsubConfig.defaults().withDegrees(6, 5, 12, 4, 5, 6)).hasMessageContaining("D_out");
    assertThatThrownBy(() -> GossipsubConfig.defaults().withDegrees(6, 7, 12, 4, 2, 6)).hasMessageContaining("D_lo");
  }
}
