package dev.weft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.runtime.RoundMessage.Digest;
import dev.weft.node.runtime.RoundMessage.Seal;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LeaderSealDriverTest {
  static final LeaderSealDriver.Config CFG = new LeaderSealDriver.Config(1_000, 500, 2_000, 1, 64);
  final List<PeerId> peers = new ArrayList<>(new TreeSet<>(List.of(RoundWireTest.peer(1), RoundWireTest.peer(2), RoundWireTest.peer(3))));

  static <T> List<T> of(List<RoundAction> actions, Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  LeaderSealDriver driver(PeerId self) {
    LeaderSealDriver d = new LeaderSealDriver("run", self, CFG);
    d.membersChanged(Set.copyOf(peers), 0);
    return d;
  }

  @Test
  void theLeaderSealsOnceEveryLiveMemberContributedAndEveryoneAppliesTheSameSet() {
    PeerId leader = peers.get(0); // round 0, view 0: the first in peer order
    LeaderSealDriver l = driver(leader), other = driver(peers.get(1));
    l.start(0, 0);
    other.start(0, 0);
    List<RoundAction> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.addAll(l.blobHeld(0, peers.get(i), Digest.of(new byte[] {(byte) i}), 10 + i));
      other.blobHeld(0, peers.get(i), Digest.of(new byte[] {(byte) i}), 10 + i);
    }
    List<RoundAction.Publish> pub = of(out, RoundAction.Publish.class);
    assertThat(pub).hasSize(1);
    Seal s = (Seal) pub.get(0).message();
    assertThat(s.entries()).hasSize(3);
    assertThat(of(out, RoundAction.Apply.class)).singleElement().satisfies(a -> assertThat(a.set()).isEqualTo(s.entries()));
    List<RoundAction> o2 = other.onMessage(leader, s, 20);
    assertThat(of(o2, RoundAction.Apply.class)).singleElement().satisfies(a -> assertThat(a.set()).isEqualTo(s.entries()));
  }

  @Test
  void withoutEveryContributionTheLeaderWaitsForTheCutoffAndSealsWhatItHolds() {
    LeaderSealDriver l = driver(peers.get(0));
    l.start(0, 0);
    List<RoundAction> early = l.blobHeld(0, peers.get(0), Digest.of(new byte[] {0}), 100);
    assertThat(of(early, RoundAction.Publish.class)).isEmpty();
    assertThat(of(early, RoundAction.SetTimer.class)).singleElement().satisfies(t -> assertThat(t.atMillis()).isEqualTo(1_100));
    assertThat(of(early, RoundAction.Status.class)).singleElement().satisfies(s -> assertThat(s.line()).contains("waiting for 2 more contributions"));
    List<RoundAction> due = l.timerFired(1_100);
    assertThat(of(due, RoundAction.Apply.class)).singleElement().satisfies(a -> assertThat(a.set()).hasSize(1));
  }

  @Test
  void aDeadLeaderIsReplacedByTheNextInTheRotation() {
    PeerId second = peers.get(1);
    LeaderSealDriver d = driver(second);
    d.start(0, 0);
    for (int i = 0; i < 3; i++) d.blobHeld(0, peers.get(i), Digest.of(new byte[] {(byte) i}), 0);
    assertThat(d.leader()).isEqualTo(peers.get(0));
    // The leader never seals: after the cut-off and one view timeout, view 1's leader (us) does.
    List<RoundAction> out = d.timerFired(1_000);
    assertThat(of(out, RoundAction.Publish.class)).isEmpty();
    out = d.timerFired(1_500);
    assertThat(d.view()).isEqualTo(1);
    assertThat(of(out, RoundAction.Publish.class)).singleElement().satisfies(p -> assertThat(((Seal) p.message()).view()).isEqualTo(1));
  }

  @Test
  void aSealNamingABlobWeLackWaitsThenAsksForAResync() {
    LeaderSealDriver d = driver(peers.get(2));
    d.start(0, 0);
    Seal s = new Seal("run", 0, 0, peers.get(0), List.of(new RoundMessage.SealEntry(peers.get(0), Digest.of(new byte[] {9}))));
    List<RoundAction> out = d.onMessage(peers.get(0), s, 10);
    assertThat(of(out, RoundAction.Apply.class)).isEmpty();
    assertThat(of(d.timerFired(2_010), RoundAction.Resync.class)).hasSize(1);
  }

  @Test
  void aSealTwoRoundsAheadMeansWeAreBehind() {
    LeaderSealDriver d = driver(peers.get(2));
    d.start(0, 0);
    Seal s = new Seal("run", 2, 0, peers.get(0), List.of());
    assertThat(of(d.onMessage(peers.get(0), s, 10), RoundAction.Resync.class)).hasSize(1);
  }

  @Test
  void aSealForTheNextRoundIsKeptUntilWeGetThere() {
    LeaderSealDriver d = driver(peers.get(2));
    d.start(0, 0);
    Seal next = new Seal("run", 1, 0, peers.get(1), List.of());
    assertThat(d.onMessage(peers.get(1), next, 10)).isEmpty();
    assertThat(of(d.start(1, 20), RoundAction.Apply.class)).singleElement().satisfies(a -> assertThat(a.round()).isEqualTo(1));
  }
}
