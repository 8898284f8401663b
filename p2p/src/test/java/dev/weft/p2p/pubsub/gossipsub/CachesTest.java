package dev.weft.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.TestKeys;
import dev.weft.p2p.time.SimScheduler;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CachesTest {
  private static MessageId id(int i) {
    return MessageId.of(new byte[] {(byte) i});
  }

  private static PubsubMessage msg(String topic) {
    return new PubsubMessage(null, new byte[] {1}, null, topic, null, null);
  }

  @Test
  void messageCacheGossipsRecentWindowsAndServesAllUntilShiftedOut() {
    MessageCache c = new MessageCache(2, 3);
    c.put(id(1), msg("a"));
    c.put(id(2), msg("b"));
    c.shift();
    c.put(id(3), msg("a"));
    c.put(id(3), msg("a"));
    assertThat(c.gossipIds("a")).containsExactly(id(3), id(1));
    c.shift();
    assertThat(c.gossipIds("a")).containsExactly(id(3));
    assertThat(c.get(id(1))).isNotNull();
    c.shift();
    assertThat(c.get(id(1))).isNull();
    assertThat(c.get(id(2))).isNull();
    assertThat(c.get(id(3))).isNotNull();
    assertThat(c.size()).isEqualTo(1);
  }

  @Test
  void messageCacheCountsServesPerPeer() {
    MessageCache c = new MessageCache(1, 1);
    c.put(id(1), msg("a"));
    PeerId p = PeerId.fromPublicKey(TestKeys.generate(new Random(1)).publicKey());
    PeerId q = PeerId.fromPublicKey(TestKeys.generate(new Random(2)).publicKey());
    assertThat(c.getForPeer(id(1), p).count()).isEqualTo(1);
    assertThat(c.getForPeer(id(1), p).count()).isEqualTo(2);
    assertThat(c.getForPeer(id(1), q).count()).isEqualTo(1);
    assertThat(c.getForPeer(id(9), q)).isNull();
  }

  @Test
  void seenCacheExpiresOnTheInjectedClockAndIsBounded() {
    SimScheduler clock = new SimScheduler(1);
    SeenCache s = new SeenCache(clock, 1_000, 3);
    assertThat(s.add(id(1))).isTrue();
    assertThat(s.add(id(1))).isFalse();
    clock.runFor(600);
    s.add(id(2));
    clock.runFor(400);
    assertThat(s.contains(id(1))).isFalse();
    assertThat(s.contains(id(2))).isTrue();
    s.expire();
    assertThat(s.size()).isEqualTo(1);
    assertThat(s.add(id(1))).isTrue();
    for (int i = 3; i < 10; i++) s.add(id(i));
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.contains(id(9))).isTrue();
    assertThat(s.contains(id(2))).isFalse();
  }

  @Test
  void gossipPromisesBreakOnlyWithoutDelivery() {
    GossipPromises g = new GossipPromises(new Random(1));
    PeerId p = PeerId.fromPublicKey(TestKeys.generate(new Random(1)).publicKey());
    PeerId q = PeerId.fromPublicKey(TestKeys.generate(new Random(2)).publicKey());
    g.track(p, List.of(id(1)), 100);
    g.track(q, List.of(id(2)), 100);
    g.delivered(id(1));
    assertThat(g.collectBroken(99)).isEmpty();
    assertThat(g.collectBroken(100)).containsExactly(java.util.Map.entry(q, 1));
    assertThat(g.size()).isZero();
  }
}
