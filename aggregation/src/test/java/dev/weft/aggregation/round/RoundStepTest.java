package dev.weft.aggregation.round;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.ChunkRunner;
import dev.weft.aggregation.Verdict;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundStepTest {
  static final int D = 3 * ChunkRunner.CHUNK + 17;

  static float[] gaussian(SplittableRandom r, int d, double scale, double shift) {
    float[] v = new float[d];
    for (int k = 0; k < d; k++) v[k] = (float) (shift + scale * r.nextGaussian());
    return v;
  }

  static List<float[]> honest(long seed, int n, int d) {
    SplittableRandom r = new SplittableRandom(seed);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(gaussian(r, d, 0.01, 0.002));
    return out;
  }

  static List<Contribution> contributions(List<float[]> vs, Codec codec) {
    List<Contribution> out = new ArrayList<>();
    for (int i = 0; i < vs.size(); i++) {
      String key = String.format("p%02d", i);
      out.add(codec == null ? Contribution.dense(key, vs.get(i)) : new Contribution.Encoded(key, codec.encode(vs.get(i)), 1 + i % 3));
    }
    return out;
  }

  @Test void sameInputsGiveBitIdenticalThetaOnAnyThreadCount() {
    SplittableRandom r = new SplittableRandom(5);
    float[] theta = gaussian(r, D, 1, 0);
    OuterState state = new OuterState(gaussian(r, D, 0.01, 0), 7, gaussian(r, D, 0.01, 0.002));
    List<float[]> vs = honest(11, 12, D);
    for (String spec : List.of("mean", "median", "trimmed-mean:0.25", "centered-clip", "centered-clip-prev", "nnm:3:centered-clip",
        "bucketing:2:median", "multi-krum:3")) {
      for (Codec codec : Arrays.asList(null, Codecs.parse("int8"), Codecs.parse("topk-int8:0.05"))) {
        RoundStep step = new RoundStep(D, Aggregators.parse(spec), codec, Nesterov.diloco(), RoundStep.limitsFor(codec, D));
        List<Contribution> in = contributions(vs, codec);
        RoundStep.Outcome ref;
        try (ChunkRunner one = ChunkRunner.serial()) {
          ref = step.apply(theta, state, in, 99, one);
        }
        assertThat(ref.succeeded()).as(spec).isTrue();
        assertThat(ref.state().rounds()).isEqualTo(8);
        assertThat(bits(ref.theta())).isNotEqualTo(bits(theta));
        for (int threads : new int[] {2, 3, 4}) {
          // shuffled arrival order too: the step sorts by key
          List<Contribution> shuffled = new ArrayList<>(in);
          java.util.Collections.reverse(shuffled);
          try (ChunkRunner many = ChunkRunner.withThreads(threads)) {
            RoundStep.Outcome o = step.apply(theta, state, shuffled, 99, many);
            assertThat(bits(o.theta())).as(spec + " " + codec + " threads " + threads).isEqualTo(bits(ref.theta()));
            assertThat(bits(o.state().momentum())).isEqualTo(bits(ref.state().momentum()));
            assertThat(bits(o.aggregate().orElseThrow())).isEqualTo(bits(ref.aggregate().orElseThrow()));
          }
        }
      }
    }
  }

  @Test void badContributionsAreExcludedWithAReasonAndTheRoundGoesOn() {
    int d = 1000;
    List<float[]> good = honest(3, 6, d);
    float[] nan = good.get(0).clone();
    nan[500] = Float.NaN;
    float[] inf = good.get(1).clone();
    inf[3] = Float.NEGATIVE_INFINITY;
    float[] huge = good.get(2).clone();
    for (int k = 0; k < d; k++) huge[k] *= 1e6f;
    List<Contribution> in = new ArrayList<>(contributions(good, null));
    in.add(Contribution.dense("x-nan", nan));
    in.add(Contribution.dense("x-inf", inf));
    in.add(Contribution.dense("x-short", new float[d - 1]));
    in.add(Contribution.dense("x-long", new float[d + 1]));
    in.add(Contribution.dense("x-huge", huge));
    in.add(Contribution.dense("x-dup", good.get(3)));
    in.add(Contribution.dense("x-dup", good.get(4)));
    in.add(new Contribution.Dense("x-weight", good.get(5), Double.NaN));
    in.add(new Contribution.Encoded("x-bytes", new byte[8 + 4 * d], 1));
    RoundStep step = new RoundStep(d, Aggregators.parse("mean"), null, Nesterov.diloco(), RoundLimits.dense(d).withMaxNorm(10));
    float[] theta = new float[d];
    RoundStep.Outcome o = step.apply(theta, OuterState.fresh(d), in, 1, ChunkRunner.serial());
    assertThat(o.succeeded()).isTrue();
    assertThat(o.keysWith(Verdict.REJECTED)).containsExactly("x-bytes", "x-dup", "x-huge", "x-inf", "x-long", "x-nan", "x-short", "x-weight");
    assertThat(o.keysWith(Verdict.ACCEPTED)).hasSize(6);
    assertThat(o.report("x-nan").reason()).contains("NaN").contains("500");
    assertThat(o.report("x-inf").reason()).contains("infinity at 3");
    assertThat(o.report("x-short").reason()).contains("expected 1000");
    assertThat(o.report("x-long").reason()).contains("has 1001 values");
    assertThat(o.report("x-huge").reason()).startsWith("oversized: norm");
    assertThat(o.report("x-dup").reason()).contains("more than one");
    assertThat(o.report("x-weight").reason()).contains("weight");
    assertThat(o.report("x-bytes").reason()).startsWith("oversized: 4008 bytes");
    // exactly the round of the good inputs alone
    RoundStep.Outcome clean = step.apply(theta, OuterState.fresh(d), contributions(good, null), 1, ChunkRunner.serial());
    assertThat(bits(o.theta())).isEqualTo(bits(clean.theta()));
    // without the norm limit the scaled input gets in and moves θ far: the limit is what stopped it
    RoundStep open = new RoundStep(d, Aggregators.parse("mean"), null, Nesterov.diloco(), RoundLimits.dense(d));
    RoundStep.Outcome hurt = open.apply(theta, OuterState.fresh(d), in, 1, ChunkRunner.serial());
    assertThat(hurt.report("x-huge").verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(maxAbs(hurt.theta())).isGreaterThan(1000 * maxAbs(clean.theta()));
  }

  @Test void encodedContributionsAreCheckedAgainstTheRunsCodec() {
    int d = 600;
    Codec int8 = Codecs.parse("int8");
    List<float[]> good = honest(4, 5, d);
    List<Contribution> in = new ArrayList<>(contributions(good, int8));
    byte[] valid = int8.encode(good.get(0));
    in.add(new Contribution.Encoded("y-bf16", Codecs.parse("bf16").encode(good.get(0)), 1)); // larger: oversized first
    in.add(new Contribution.Encoded("y-topk", Codecs.parse("topk:0.1").encode(good.get(0)), 1));
    in.add(new Contribution.Encoded("y-truncated", Arrays.copyOf(valid, valid.length - 3), 1));
    byte[] nanScale = valid.clone();
    int bits = Float.floatToRawIntBits(Float.NaN);
    for (int j = 0; j < 4; j++) nanScale[Codec.HEADER_BYTES + 4 + j] = (byte) (bits >>> (8 * j));
    in.add(new Contribution.Encoded("y-nan-scale", nanScale, 1));
    byte[] longer = Arrays.copyOf(valid, valid.length + 1);
    in.add(new Contribution.Encoded("y-trailing", longer, 1));
    in.add(Contribution.dense("y-dense", good.get(1)));
    in.add(new Contribution.Encoded("y-other-d", int8.encode(new float[d + 256]), 1));
    RoundStep step = new RoundStep(d, Aggregators.parse("median"), int8, Nesterov.diloco(), RoundStep.limitsFor(int8, d));
    RoundStep.Outcome o = step.apply(new float[d], OuterState.fresh(d), in, 1, ChunkRunner.serial());
    assertThat(o.succeeded()).isTrue();
    assertThat(o.report("y-bf16").reason()).startsWith("oversized");
    assertThat(o.report("y-topk").reason()).contains("not in the run's codec");
    assertThat(o.report("y-truncated").reason()).startsWith("malformed");
    assertThat(o.report("y-nan-scale").reason()).startsWith("malformed").contains("scale");
    assertThat(o.report("y-trailing").reason()).startsWith("oversized");
    assertThat(o.report("y-dense").reason()).contains("dense contribution");
    assertThat(o.report("y-other-d").reason()).startsWith("oversized");
    assertThat(o.keysWith(Verdict.REJECTED)).hasSize(7);
  }

  @Test void tooFewValidInputsFailTheRoundWithoutChangingAnything() {
    int d = 50;
    float[] theta = gaussian(new SplittableRandom(1), d, 1, 0);
    OuterState state = new OuterState(new float[d], 3);
    float[] nan = new float[d];
    nan[0] = Float.NaN;
    List<Contribution> in = List.of(Contribution.dense("a", new float[d]), Contribution.dense("b", nan), Contribution.dense("c", new float[d]));
    RoundStep step = new RoundStep(d, Aggregators.parse("krum:1"), null, Nesterov.diloco(), RoundLimits.dense(d));
    RoundStep.Outcome o = step.apply(theta, state, in, 1, ChunkRunner.serial());
    assertThat(o.succeeded()).isFalse();
    assertThat(o.failure().orElseThrow()).contains("needs at least 5 valid contributions, got 2");
    assertThat(o.theta()).containsExactly(theta);
    assertThat(o.state()).isSameAs(state);
    assertThat(o.report("b").reason()).contains("NaN");
    assertThat(o.report("a").reason()).contains("round failed");
  }

  @Test void anOuterStepThatWouldOverflowFailsTheRound() {
    int d = 4;
    float[] big = {3e38f, 3e38f, 1, 1};
    RoundStep step = RoundStep.meanWithoutCodec(d, Nesterov.diloco());
    float[] theta = {-3e38f, 0, 0, 0};
    RoundStep.Outcome o = step.apply(theta, OuterState.fresh(d), List.of(Contribution.dense("a", big)), 1, ChunkRunner.serial());
    assertThat(o.failure()).hasValueSatisfying(f -> assertThat(f).contains("non-finite"));
    assertThat(o.theta()).containsExactly(theta);
  }

  @Test void meanWithoutCodecIsTheOldNodeRoundBitForBit() {
    // node's MeanAggregator (double sums in key order, one division) and OuterOptimizer, inline
    int d = 20_000;
    List<float[]> vs = honest(8, 5, d);
    float[] theta = gaussian(new SplittableRandom(2), d, 1, 0);
    float[] momentum = new float[d];
    RoundStep step = RoundStep.meanWithoutCodec(d, Nesterov.diloco());
    OuterState state = OuterState.fresh(d);
    float[] oldTheta = theta.clone();
    for (int round = 0; round < 3; round++) {
      RoundStep.Outcome o = step.apply(theta, state, contributions(vs, null), round, ChunkRunner.withThreads(2));
      theta = o.theta();
      state = o.state();
      double[] sum = new double[d];
      for (float[] v : vs) for (int i = 0; i < d; i++) sum[i] += v[i];
      float[] mean = new float[d];
      for (int i = 0; i < d; i++) mean[i] = (float) (sum[i] / vs.size());
      float[] next = new float[d];
      for (int i = 0; i < d; i++) {
        double delta = mean[i], b = 0.9 * momentum[i] + delta;
        momentum[i] = (float) b;
        next[i] = (float) (oldTheta[i] - 0.7 * (delta + 0.9 * b));
      }
      oldTheta = next;
      for (int k = 0; k < vs.size(); k++) vs.set(k, gaussian(new SplittableRandom(round * 10 + k), d, 0.01, 0));
    }
    assertThat(bits(theta)).isEqualTo(bits(oldTheta));
    assertThat(bits(state.momentum())).isEqualTo(bits(momentum));
  }

  @Test void senderEncodesWithErrorFeedback() {
    int d = 1000;
    Codec topk = Codecs.parse("topk:0.01");
    Sender s = new Sender(topk, d);
    float[] u = gaussian(new SplittableRandom(3), d, 1, 0);
    Contribution c = s.contribute("me", u, 2);
    assertThat(c).isInstanceOf(Contribution.Encoded.class);
    assertThat(s.lastBytes()).isEqualTo(((Contribution.Encoded) c).bytes().length).isLessThan(d / 10);
    float[] residual = s.residual();
    int zeros = 0;
    for (float x : residual) if (x == 0) zeros++;
    assertThat(zeros).isEqualTo(topk instanceof dev.weft.aggregation.codec.TopKCodec t ? t.k(d) : -1);
    Sender dense = new Sender(null, d);
    assertThat(dense.contribute("me", u, 1)).isInstanceOf(Contribution.Dense.class);
    assertThat(dense.lastBytes()).isEqualTo(4L * d);
  }

  static int[] bits(float[] a) {
    int[] b = new int[a.length];
    for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
    return b;
  }

  static double maxAbs(float[] a) {
    double m = 0;
    for (float x : a) m = Math.max(m, Math.abs(x));
    return m;
  }

}
