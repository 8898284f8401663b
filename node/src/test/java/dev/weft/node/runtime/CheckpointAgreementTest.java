package dev.weft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.round.msg.PeerKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointAgreementTest {
  static PeerKey key(int b) {
    byte[] k = new byte[PeerKey.BYTES];
    k[0] = (byte) b;
    return new PeerKey(k);
  }

  static CertifiedCheckpoint withBans(CertifiedCheckpoint c, PeerKey... bans) {
    return new CertifiedCheckpoint(c.checkpoint(), c.tokens(), c.seed(), List.of(bans));
  }

  /**
   * Two banned attackers each serve the honest θ and seed with only the other one banned (neither
   * sees its own blob fail). Were the ban list left out of the agreement — the attack this defends
   * against — their two answers would agree and outvote the honest one.
   */
  @Test void checkpointsThatDifferOnlyInTheirBansDoNotAgree() {
    CertifiedCheckpoint base = CertifiedCheckpointTest.sample();
    PeerKey nan = key(1), big = key(2);
    CertifiedCheckpoint fromNan = withBans(base, big), fromBig = withBans(base, nan), honest = withBans(base, nan, big);
    assertThat(fromNan.state().root()).isEqualTo(fromBig.state().root());
    assertThat(CheckpointAgreement.choose(List.of(fromNan, fromBig, honest))).isNull();
    CheckpointAgreement.Choice two = CheckpointAgreement.choose(List.of(fromNan, honest, withBans(base, big, nan)));
    assertThat(two.checkpoint().banned()).containsExactlyInAnyOrder(nan, big);
    assertThat(two.votes()).isEqualTo(2);
    assertThat(two.answered()).isEqualTo(3);
  }

  @Test void theNewestAgreedCheckpointWinsAndALoneAnswerIsTaken() {
    CertifiedCheckpoint old = CertifiedCheckpointTest.sample();
    var c = old.checkpoint();
    CertifiedCheckpoint newer = new CertifiedCheckpoint(
        new dev.weft.node.train.checkpoint.Checkpoint(c.model(), c.round() + 1, c.innerStepsPerRound(), c.theta(), c.outer(), c.outerMomentum()), old.tokens(),
        old.seed(), old.banned());
    assertThat(CheckpointAgreement.choose(List.of(old, newer, old, newer)).checkpoint().round()).isEqualTo(newer.round());
    // One newer answer alone does not beat two that agree on an older one.
    assertThat(CheckpointAgreement.choose(List.of(old, newer, old)).checkpoint().round()).isEqualTo(old.round());
    assertThat(CheckpointAgreement.choose(List.of(newer)).votes()).isEqualTo(1);
    assertThat(CheckpointAgreement.choose(List.of())).isNull();
  }
}
