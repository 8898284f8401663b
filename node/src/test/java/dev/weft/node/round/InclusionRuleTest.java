package dev.weft.node.round;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The censorship-resistance of "named in at least f+1 of Q reports", over seeded random report
 * sets with the worst choice of reports a leader can make, next to the rule it replaces (the
 * leader's own view), under which the same leader censors at will.
 */
class InclusionRuleTest {
  @Test
  void whatEveryHonestVoterHeldSurvivesTheWorstChoiceOfReports() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int trial = 0; trial < 500; trial++) {
      int n = 4 + rnd.nextInt(30), f = (n - 1) / 3, q = n - f, c = 1 + rnd.nextInt(40);
      int target = rnd.nextInt(c);
      List<byte[]> honest = new ArrayList<>(), byz = new ArrayList<>();
      for (int v = 0; v < n; v++) {
        byte[] b = new byte[(c + 7) / 8];
        for (int i = 0; i < c; i++) if (rnd.nextBoolean()) InclusionRule.set(b, i);
        boolean isByz = v < f;
        if (!isByz) InclusionRule.set(b, target); // every honest voter held the target
        else b[target / 8] &= (byte) ~(1 << (target & 7)); // Byzantine voters omit it
        (isByz ? byz : honest).add(b);
      }
      // The leader picks all Byzantine reports, then the honest ones naming the fewest contributions.
      List<byte[]> chosen = new ArrayList<>(byz);
      honest.sort(Comparator.comparingInt(b -> Integer.bitCount(b[0] & 0xff)));
      chosen.addAll(honest.subList(0, q - f));
      List<Integer> set = InclusionRule.select(chosen, c, f + 1);
      assertTrue(set.contains(target), "n=" + n + " f=" + f + " trial " + trial);
      // and anything selected was named by at least one honest voter in the chosen reports
      for (int i : set) {
        int honestNaming = 0;
        for (byte[] b : chosen.subList(f, chosen.size())) if (InclusionRule.bit(b, i)) honestNaming++;
        assertTrue(honestNaming >= 1);
      }
    }
  }

  @Test
  void aLeaderWhoChoosesTheSetCensorsAtWill() {
    // Without the rule (the set is whatever the leader's own report says) the target is gone.
    int c = 8, target = 3;
    byte[] leaderView = new byte[1];
    for (int i = 0; i < c; i++) if (i != target) InclusionRule.set(leaderView, i);
    List<Integer> set = InclusionRule.select(List.of(leaderView), c, 1);
    assertFalse(set.contains(target));
  }

  @Test
  void fReportsAloneCannotSealAnything() {
    int n = 7, f = 2, c = 4;
    List<byte[]> chosen = new ArrayList<>();
    for (int v = 0; v < n - f; v++) chosen.add(new byte[1]);
    InclusionRule.set(chosen.get(0), 1);
    InclusionRule.set(chosen.get(1), 1); // f Byzantine voters claim a withheld blob
    assertFalse(InclusionRule.select(chosen, c, f + 1).contains(1));
  }
}
