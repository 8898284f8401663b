package dev.weft.aggregation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.attack.Attack;
import org.junit.jupiter.api.Test;

/**
 * Each rule against the attack that hurt it most in the robustness table, at f = 4 of 16 on the
 * non-IID softmax task (one seed, 15 rounds: the table's cell at a tenth of its cost). Where a rule
 * holds, the threshold is a little below what it reached and the plain mean under the same attack
 * is shown to do worse (the attack works without the defence); where no rule holds, the test says
 * so by asserting the collapse, so a change that fixes it has to update this test and the docs.
 * Measured values (seed 1, 15 rounds) are in the comments.
 */
class RuleUnderStrongestAttackTest {
  static final int F = 4, ROUNDS = 15;

  static double acc(String rule, Attack attack, int f) {
    return RobustnessTable.accuracy(Aggregators.parse(rule), attack, f, null, 1, ROUNDS);
  }

  static double mean(Attack attack) {
    return acc("mean", attack, F);
  }

  @Test void centredClippingHoldsIpm100AndTheClipAdaptiveAttackOnlyPartly() {
    // centered-clip: ipm(100) 0.67, clip-adaptive 0.71; the mean: ipm(100) 0.00
    assertThat(acc("centered-clip", new Attack.Ipm(100), F)).isGreaterThan(0.6);
    assertThat(mean(new Attack.Ipm(100))).isLessThan(0.1);
    // around the previous aggregate: the same, and the adaptive attack does as well as ipm(100)
    assertThat(acc("centered-clip-prev", new Attack.Ipm(100), F)).isGreaterThan(0.6);
    assertThat(acc("centered-clip-prev", new Attack.ClipAdaptive(0.99), F)).isGreaterThan(0.6).isLessThan(0.75);
  }

  @Test void coordinateWiseRulesHoldOnlyLoosely() {
    // median 0.52 under ipm(100), trimmed mean 0.29
    assertThat(acc("median", new Attack.Ipm(100), F)).isGreaterThan(0.45);
    assertThat(acc("trimmed-mean:0.25", new Attack.Ipm(100), F)).isGreaterThan(0.2).isLessThan(0.4);
  }

  @Test void geometricMedianAndNormClipping() {
    // geometric median 0.65 under ipm(100); norm clipping 0.70 under clip-adaptive (mean there 0.89:
    // an attack inside the honest spread costs the clipped rules more than the mean)
    assertThat(acc("geometric-median", new Attack.Ipm(100), F)).isGreaterThan(0.6);
    assertThat(acc("norm-clip", new Attack.ClipAdaptive(0.99), F)).isGreaterThan(0.6);
  }

  @Test void nearestNeighbourMixingRemovesFarAttackersButNotNearOnes() {
    // nnm + centred clip: ipm(100) 0.92 (vs 0.67 without mixing), clip-adaptive 0.67
    assertThat(acc("nnm:4:centered-clip", new Attack.Ipm(100), F)).isGreaterThan(0.85);
    assertThat(acc("nnm:4:centered-clip", new Attack.ClipAdaptive(0.99), F)).isGreaterThan(0.6);
    // and its price without attackers on non-IID data: 0.77 against 0.91 unmixed
    assertThat(acc("nnm:4:centered-clip", new Attack.None(), 0)).isLessThan(acc("centered-clip", new Attack.None(), 0) - 0.05);
  }

  @Test void multiKrumHoldsBetterThanKrumWhichFollowsATightCluster() {
    // multi-krum: 0.73 under clip-adaptive; krum picks the attackers' IPM cluster: 0.00
    assertThat(acc("multi-krum:4", new Attack.ClipAdaptive(0.99), F)).isGreaterThan(0.65);
    assertThat(acc("krum:4", new Attack.Ipm(0.1), F)).isLessThan(0.1);
  }

  @Test void bucketingOfTwoBreaksAtFourOfSixteen() {
    // s·f/n = 2·4/16: half the buckets can hold an attacker, beyond any inner rule's breakdown.
    // bucketing:2:centered-clip under ipm(100): 0.00 at f = 4, 0.85 at f = 2.
    assertThat(acc("bucketing:2:centered-clip", new Attack.Ipm(100), F)).isLessThan(0.1);
    assertThat(acc("bucketing:2:centered-clip", new Attack.Ipm(100), 2)).isGreaterThan(0.8);
    assertThat(acc("bucketing:2:median", new Attack.Int8Scale(1e4), F)).isLessThan(0.1);
    assertThat(acc("bucketing:2:krum:2", new Attack.TopKIndices(0.1, 10), F)).isLessThan(0.1);
  }
}
