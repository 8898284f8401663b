package dev.weft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.round.Decision;
import dev.weft.node.round.apply.ModelState;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.sim.Scenarios;
import dev.weft.node.round.sim.SimPeer;
import dev.weft.node.round.sim.Simulation;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.ModelSpecs;
import dev.weft.node.train.checkpoint.Checkpoint;
import dev.weft.node.train.diloco.OuterConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint proven by its round's certificate, with certificates the round protocol really made
 * (the deterministic simulator: 7 voters, real quorums and precommits), and what a joiner refuses:
 * another state, another seed, another round, too few member signatures, garbage. And the attack
 * the certificate stops: two colluding peers serving the same false state win the old agreement
 * rule, and lose to one honest certified answer under the new one.
 */
class CheckpointCertificateTest {
  static final ModelSpec MODEL = ModelSpecs.parse("mlp:t:2:4");
  static Simulation sim;
  static CertifiedCheckpoint honest;
  static List<PeerKey> members;

  @BeforeAll static void runTheProtocol() {
    sim = new Simulation(Scenarios.get("honest", 3).dimension(MODEL.layout().size()).rounds(4));
    sim.run();
    SimPeer p = sim.peers().get(0);
    Decision d = p.machine().decision(p.appliedRound());
    honest = checkpoint(p.state(), d.seed(), sim.codec().encode(d.certificate()));
    members = new ArrayList<>();
    for (SimPeer q : sim.peers()) if (q.voter()) members.add(q.key());
  }

  static CertifiedCheckpoint checkpoint(ModelState st, Digest seed, byte[] certificate) {
    Checkpoint c = new Checkpoint(MODEL, st.rounds(), 10, st.theta(), OuterConfig.diloco(), st.momentum());
    return new CertifiedCheckpoint(c, st.tokens(), seed, List.of(), certificate);
  }

  static String check(CertifiedCheckpoint c) {
    return CheckpointCertificate.check(c, c.certificate(), sim.codec(), members);
  }

  @Test void theRoundsOwnCertificateProvesItsState() {
    assertThat(honest.round()).isPositive();
    assertThat(check(honest)).isNull();
    CertifiedCheckpoint again = CertifiedCheckpoint.decode(honest.encode());
    assertThat(check(again)).as("it survives the wire").isNull();
  }

  @Test void anotherStateSeedOrRoundIsRefused() {
    ModelState st = honest.state();
    float[] theta = st.theta().clone();
    theta[0] += 1;
    assertThat(check(checkpoint(new ModelState(theta, st.momentum(), st.rounds(), st.tokens()), honest.seed(), honest.certificate())))
        .contains("state root is not the certified one");
    assertThat(check(checkpoint(st, Digest.of(new byte[] {7}), honest.certificate()))).contains("seed");
    assertThat(check(checkpoint(new ModelState(st.theta(), st.momentum(), st.rounds() + 1, st.tokens()), honest.seed(), honest.certificate())))
        .contains("a certificate of round");
    assertThat(check(checkpoint(st, honest.seed(), new byte[] {1, 2, 3}))).contains("does not verify");
    assertThat(check(checkpoint(st, honest.seed(), null))).isEqualTo("no certificate");
  }

  @Test void precommitsOfFewerThanFPlusOneMembersAreNotEnough() {
    // The same certificate judged against a member list in which only two of its signers appear:
    // 7 members tolerate f = 2, so 3 are needed (at least one of them honest).
    List<PeerKey> mostlyOthers = new ArrayList<>(members.subList(0, 2));
    for (int i = 0; i < 5; i++) {
      byte[] k = new byte[PeerKey.BYTES];
      k[0] = (byte) (100 + i);
      mostlyOthers.add(new PeerKey(k));
    }
    assertThat(CheckpointCertificate.check(honest, honest.certificate(), sim.codec(), mostlyOthers)).contains("precommits of 2 members, but 3");
  }

  @Test void twoColludersWinTheAgreementRuleAndLoseToOneCertifiedAnswer() {
    ModelState st = honest.state();
    float[] forged = st.theta().clone();
    for (int i = 0; i < forged.length; i++) forged[i] = -forged[i];
    // A newer round than the honest one, so the agreement rule prefers it.
    CertifiedCheckpoint lie = checkpoint(new ModelState(forged, st.momentum(), st.rounds() + 3, st.tokens()), Digest.of(new byte[] {9}), honest.certificate());
    List<CertifiedCheckpoint> answers = List.of(lie, lie, honest);
    CheckpointAgreement.Choice old = CheckpointAgreement.choose(answers);
    assertThat(old.checkpoint()).as("the attack works without certificates").isSameAs(lie);
    CheckpointAgreement.Choice now = CheckpointAgreement.chooseCertified(answers, c -> check(c) == null);
    assertThat(now.checkpoint()).isSameAs(honest);
    assertThat(CheckpointAgreement.chooseCertified(List.of(lie, lie), c -> check(c) == null)).as("liars alone: nothing adopted").isNull();
  }
}
