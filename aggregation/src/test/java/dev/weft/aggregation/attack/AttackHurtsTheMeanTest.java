package dev.weft.aggregation.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.ChunkRunner;
import dev.weft.aggregation.bench.RobustnessTable;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.aggregation.round.Contribution;
import dev.weft.aggregation.round.Nesterov;
import dev.weft.aggregation.round.OuterState;
import dev.weft.aggregation.round.RoundStep;
import dev.weft.aggregation.sim.DiLoCoSimulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every attack in the suite hurts the plain mean, f = 4 of 16: on one real non-IID round, the
 * mean's aggregate is pulled away from the attack-free aggregate μ (the mean of all 16 workers'
 * honest pseudo-gradients) by at least the stated fraction of ‖μ‖ — when the four send their own
 * honest updates it is exactly μ, so the measure can fail — and the attacks that ruin training
 * outright do so end to end.
 */
class AttackHurtsTheMeanTest {
  static final int N = 16, F = 4;

  /** The attackers behave: each sends its own honest update. */
  record Honest() implements Attack.Custom {
    @Override public String name() { return "honest"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < ctx.f(); i++) out.add(ctx.ownOf(i).clone());
      return out;
    }
  }

  /** ‖mean(all) − μ‖ / ‖μ‖ after the round step (with the codec, if any). */
  static double relativeError(Attack attack, Codec codec) {
    var cfg = DiLoCoSimulation.Config.standard(F, 1);
    List<float[]> all = DiLoCoSimulation.firstRoundDeltas(cfg);
    List<float[]> honest = all.subList(0, N - F);
    int d = honest.get(0).length;
    double[] mu = new AttackContext(all, F, null, 0).honestMean();
    float[] previous = new float[d];
    // a previous aggregate as a run would have it: the same direction, larger (early rounds move more)
    for (int k = 0; k < d; k++) previous[k] = (float) (1.5 * mu[k]);
    var rule = Aggregators.parse("mean");
    AttackContext ctx = new AttackContext(honest, all.subList(N - F, N), F, previous, 3, rule);
    List<Contribution> in = new ArrayList<>();
    for (int i = 0; i < honest.size(); i++) {
      String key = DiLoCoSimulation.key(i);
      in.add(codec == null ? Contribution.dense(key, honest.get(i)) : new Contribution.Encoded(key, codec.encode(honest.get(i)), 1));
      // (codec runs compare with the dense μ: the codec's own error is part of the baseline)
    }
    List<String> keys = new ArrayList<>();
    for (int b = N - F; b < N; b++) keys.add(DiLoCoSimulation.key(b));
    in.addAll(attack.contributions(ctx, codec, keys));
    RoundStep step = new RoundStep(d, rule, codec, Nesterov.sgd(1), RoundStep.limitsFor(codec, d));
    float[] g = step.apply(new float[d], OuterState.fresh(d), in, 1, ChunkRunner.serial()).aggregate().orElseThrow();
    double err = 0, norm = 0;
    for (int k = 0; k < d; k++) {
      err += (g[k] - mu[k]) * (g[k] - mu[k]);
      norm += mu[k] * mu[k];
    }
    return Math.sqrt(err / norm);
  }

  @Test
  void everyAttackPullsTheMeanAwayFromTheHonestMean() {
    assertThat(relativeError(new Honest(), null)).as("attackers sending their own updates").isLessThan(1e-6);
    // measured on seed 1: sign-flip 0.69, scaling(-10) 3.79, scaling(100) 34.1, noise 2.04, alie 0.34,
    // ipm(0.1) 0.36, ipm(100) 25.1, free-ride zero 0.35 / stale 0.22, mimic 0.55, clip-adaptive 0.66,
    // int8-scale 57,704, topk-indices 10.6; the thresholds sit at about 70% of those
    Map<Attack, Double> atLeast = new java.util.LinkedHashMap<>();
    atLeast.put(new Attack.SignFlip(1), 0.5);
    atLeast.put(new Attack.Scaling(-10), 3.0);
    atLeast.put(new Attack.Scaling(100), 25.0);
    atLeast.put(new Attack.GaussianNoise(10), 1.5);
    atLeast.put(Attack.Alie.auto(), 0.25);
    atLeast.put(new Attack.Ipm(0.1), 0.25);
    atLeast.put(new Attack.Ipm(100), 20.0);
    atLeast.put(new Attack.FreeRider(false), 0.25);
    atLeast.put(new Attack.FreeRider(true), 0.15);
    atLeast.put(new Attack.MimicTop(), 0.4);
    atLeast.put(new Attack.ClipAdaptive(0.99), 0.5);
    atLeast.put(new Attack.Int8Scale(1e4), 10000.0);
    atLeast.put(new Attack.TopKIndices(0.1, 10), 5.0);
    double none = relativeError(new Honest(), null);
    StringBuilder measured = new StringBuilder();
    for (var e : atLeast.entrySet()) {
      double r = relativeError(e.getKey(), null);
      measured.append(String.format(java.util.Locale.ROOT, "%s=%.3f ", e.getKey().name(), r));
      assertThat(r).as(e.getKey().name() + " (none: " + none + ")").isGreaterThan(e.getValue()).isGreaterThan(none);
    }
    System.out.println("relative error of the mean, f=4 of 16: none=" + none + " " + measured);
  }

  @Test
  void compressedDomainAttacksWorkThroughTheirCodec() {
    double none = relativeError(new Honest(), Codecs.parse("int8"));
    assertThat(relativeError(new Attack.Int8Scale(1e4), Codecs.parse("int8"))).isGreaterThan(1000).isGreaterThan(100 * none);
    assertThat(relativeError(new Attack.TopKIndices(0.1, 10), Codecs.parse("topk:0.1")))
        .isGreaterThan(1.0).isGreaterThan(relativeError(new Honest(), Codecs.parse("topk:0.1")));
  }

  @Test
  void theStrongestOnesRuinTrainingWithTheMean() {
    var mean = Aggregators.parse("mean");
    double reference = RobustnessTable.accuracy(mean, new Attack.None(), 0, null, 1, 15);
    assertThat(reference).isGreaterThan(0.85);
    for (Attack a : List.of(new Attack.Scaling(-10), new Attack.Ipm(100), new Attack.Int8Scale(1e4), new Attack.TopKIndices(0.1, 10))) {
      assertThat(RobustnessTable.accuracy(mean, a, F, null, 1, 15)).as(a.name()).isLessThan(0.2);
    }
    for (Attack a : List.of(new Attack.SignFlip(1), new Attack.GaussianNoise(10))) {
      assertThat(RobustnessTable.accuracy(mean, a, F, null, 1, 15)).as(a.name()).isLessThan(reference - 0.1);
    }
  }
}
