package dev.weft.dht.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.TestPeers;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClosestPeersLookupTest {
  final Random r = new Random(3);
  final List<PeerInfo> world = TestPeers.peers(r, 300);
  final PeerId self = TestPeers.peerId(r);
  final LookupConfig config = new LookupConfig(20, 3, 1000, 1);

  List<PeerInfo> closestInWorld(KadKey target, int n) {
    List<PeerInfo> s = new ArrayList<>(world);
    s.sort(Comparator.comparing(PeerInfo::kadKey, target::compareDistance));
    return s.subList(0, n);
  }

  /** Every peer answers with the 20 peers of the world closest to the target (a perfect network). */
  int drive(Lookup l, KadKey target, Set<PeerId> silent, int[] maxInFlight) {
    long now = 0;
    List<PeerInfo> inFlight = new ArrayList<>();
    int steps = 0;
    while (steps++ < 10_000) {
      LookupAction a = l.next(now);
      if (a instanceof LookupAction.Query q) {
        inFlight.add(q.peer());
        maxInFlight[0] = Math.max(maxInFlight[0], inFlight.size());
        continue;
      }
      if (a instanceof LookupAction.Done) return steps;
      LookupAction.Wait w = (LookupAction.Wait) a;
      // answer the oldest in-flight request, or let time pass to its deadline
      PeerInfo p = inFlight.stream().filter(x -> !silent.contains(x.id())).findFirst().orElse(null);
      if (p == null) {
        now = w.untilMillis();
        inFlight.clear();
      } else {
        inFlight.remove(p);
        l.onSuccess(p.id(), closestInWorld(target, 20), now);
      }
    }
    throw new AssertionError("lookup did not terminate");
  }

  @Test
  void terminatesWithTheTrueKClosestAndNeverExceedsAlpha() {
    for (int i = 0; i < 20; i++) {
      byte[] key = new byte[10];
      r.nextBytes(key);
      KadKey target = KadKey.ofKey(key);
      List<PeerInfo> seeds = world.subList(i * 10, i * 10 + 5);
      ClosestPeersLookup l = new ClosestPeersLookup(target, config, self, seeds, p -> true);
      int[] max = {0};
      drive(l, target, Set.of(), max);
      assertThat(l.isFinished()).isTrue();
      assertThat(l.result()).containsExactlyElementsOf(closestInWorld(target, 20));
      assertThat(max[0]).isLessThanOrEqualTo(3);
      // it stops once the k closest answered: far fewer queries than the world's size
      assertThat(l.queriesSent()).isLessThan(60);
      assertThat(l.hops()).isBetween(1, 3);
    }
  }

  @Test
  void finishesWhenFewerThanKPeersExist() {
    List<PeerInfo> few = world.subList(0, 5);
    KadKey target = KadKey.ofKey(new byte[] {1});
    ClosestPeersLookup l = new ClosestPeersLookup(target, config, self, few, p -> true);
    long now = 0;
    LookupAction a;
    while (!((a = l.next(now)) instanceof LookupAction.Done)) {
      if (a instanceof LookupAction.Query q) l.onSuccess(q.peer().id(), few, now);
    }
    assertThat(l.result()).containsExactlyInAnyOrderElementsOf(few);
    assertThat(l.queriesSent()).isEqualTo(5);
  }

  @Test
  void timeoutsAreRetriedOnceThenFail() {
    List<PeerInfo> two = world.subList(0, 2);
    ClosestPeersLookup l = new ClosestPeersLookup(KadKey.ofKey(new byte[] {2}), config, self, two, p -> true);
    assertThat(l.next(0)).isInstanceOf(LookupAction.Query.class);
    assertThat(l.next(0)).isInstanceOf(LookupAction.Query.class);
    assertThat(l.next(0)).isEqualTo(new LookupAction.Wait(1000));
    // both deadlines pass: retried (attempt 2)
    assertThat(l.next(1000)).isInstanceOf(LookupAction.Query.class);
    assertThat(l.next(1000)).isInstanceOf(LookupAction.Query.class);
    assertThat(l.queriesSent()).isEqualTo(4);
    // second timeout: failed for good, nothing left
    assertThat(l.next(2000)).isInstanceOf(LookupAction.Done.class);
    assertThat(l.result()).isEmpty();
  }

  @Test
  void explicitFailureIsNotRetried() {
    ClosestPeersLookup l = new ClosestPeersLookup(KadKey.ofKey(new byte[] {3}), config, self, world.subList(0, 1), p -> true);
    LookupAction.Query q = (LookupAction.Query) l.next(0);
    l.onFailure(q.peer().id(), 5);
    assertThat(l.next(5)).isInstanceOf(LookupAction.Done.class);
    assertThat(l.queriesSent()).isEqualTo(1);
  }

  @Test
  void lateAndUnknownAnswersAreIgnored() {
    ClosestPeersLookup l = new ClosestPeersLookup(KadKey.ofKey(new byte[] {4}), config, self, world.subList(0, 1), p -> true);
    l.onSuccess(world.get(5).id(), world, 0); // never asked
    LookupAction.Query q = (LookupAction.Query) l.next(0);
    l.onSuccess(q.peer().id(), List.of(), 1);
    l.onSuccess(q.peer().id(), world, 2); // duplicate answer
    assertThat(l.next(2)).isInstanceOf(LookupAction.Done.class);
    assertThat(l.result()).containsExactly(q.peer());
  }

  @Test
  void disjointPathsNeverShareAQueriedPeerAndStillFindTheClosest() {
    byte[] key = {9, 9};
    KadKey target = KadKey.ofKey(key);
    DisjointLookup l = new DisjointLookup(target, config.withDisjointPaths(4), self, world.subList(0, 40), p -> true);
    Set<PeerId> queried = new HashSet<>();
    long now = 0;
    LookupAction a;
    int guard = 0;
    while (!((a = l.next(now)) instanceof LookupAction.Done) && guard++ < 10_000) {
      if (a instanceof LookupAction.Query q) {
        assertThat(queried.add(q.peer().id())).as("queried twice: %s", q.peer()).isTrue();
        l.onSuccess(q.peer().id(), closestInWorld(target, 20), now);
      }
    }
    assertThat(l.isFinished()).isTrue();
    assertThat(l.pathCount()).isEqualTo(4);
    // the union of the paths holds the true closest
    assertThat(l.result().get(0)).isEqualTo(closestInWorld(target, 1).get(0));
  }
}
