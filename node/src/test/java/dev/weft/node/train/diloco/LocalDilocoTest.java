package dev.weft.node.train.diloco;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.GptConfig;
import dev.weft.node.train.LrSchedule;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.SyntheticCorpus;
import dev.weft.node.train.data.WindowSampler;
import dev.weft.node.train.torch.TorchTrainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalDilocoTest {
  static final GptConfig GPT = new GptConfig("t", 1, 32, 2, 16);
  static final ShardedDataset DATA = ShardedDataset.split(SyntheticCorpus.generate(3, 60_000), 2048, 64);
  static final AdamWConfig INNER = AdamWConfig.defaults(new LrSchedule(3e-3, 5, 60, 0.1));

  static LocalDiloco.Config config(OuterConfig outer, int h) {
    return new LocalDiloco.Config(GPT, h, 4, INNER, outer, 42, 4);
  }

  @Test void oneWorkerWithOuterSgdLrOneEqualsPlainTraining() {
    int h = 10;
    var shards = dev.weft.node.train.data.ShardAssignment.shardsFor("worker-0", List.of("worker-0"), DATA.train());
    try (LocalDiloco run = LocalDiloco.start(config(OuterConfig.sgd(1.0), h), DATA, LocalDiloco.meanWithoutCodec(), RoundMembership.fixed(1), TorchTrainer::new);
        TorchTrainer plain = new TorchTrainer(GPT, INNER, GPT.initialParameters(42))) {
      // a lone worker is assigned every shard, in shard-id order, with its stream seeded like this
      WindowSampler s = new WindowSampler(shards, 4, GPT.context(), LocalDiloco.streamSeed(42, "worker-0", 0));
      run.runRound();
      float[] p1 = plain.train(s, h).parameters();
      // θ − (θ − θ') is exact when θ and θ' are within a factor of two (Sterbenz); elsewhere the
      // float32 Δ is rounded (half an ulp of Δ) and so is the float32 result (half an ulp of θ').
      // After one round every coordinate is within that bound, and most are bit-equal...
      float[] theta0 = GPT.initialParameters(42), d1 = run.theta();
      for (int i = 0; i < p1.length; i++) {
        double delta = theta0[i] - p1[i];
        assertThat((double) Math.abs(d1[i] - p1[i])).as("coordinate %d", i).isLessThanOrEqualTo((Math.abs(delta) + Math.abs(p1[i])) * 0x1p-24);
      }
      assertThat(bitEqual(p1, d1)).isGreaterThan(p1.length / 2);
      for (int r = 1; r < 3; r++) run.runRound();
      float[] p4 = plain.train(s, 2 * h).parameters();
      // ...and the ulp-level differences stay ulp-level as training continues.
      assertThat(maxAbsDiff(p4, run.theta())).isLessThan(2e-5);
      assertThat(maxAbsDiff(p4, GPT.initialParameters(42))).isGreaterThan(1e-2);
    }
  }

  @Test void resettingTheInnerOptimizerEachRoundIsNotPlainTraining() {
    // The contrast that shows the test above can fail: drop the AdamW moments between rounds.
    int h = 10;
    var shards = dev.weft.node.train.data.ShardAssignment.shardsFor("worker-0", List.of("worker-0"), DATA.train());
    LocalDiloco.TrainerFactory forgetful = (m, o, init) -> new Forgetful(new TorchTrainer(m, o, init));
    try (LocalDiloco run = LocalDiloco.start(config(OuterConfig.sgd(1.0), h), DATA, LocalDiloco.meanWithoutCodec(), RoundMembership.fixed(1), forgetful);
        TorchTrainer plain = new TorchTrainer(GPT, INNER, GPT.initialParameters(42))) {
      WindowSampler s = new WindowSampler(shards, 4, GPT.context(), LocalDiloco.streamSeed(42, "worker-0", 0));
      for (int r = 0; r < 2; r++) run.runRound();
      assertThat(maxAbsDiff(plain.train(s, 2 * h).parameters(), run.theta())).isGreaterThan(1e-4);
    }
  }

  static int bitEqual(float[] a, float[] b) {
    int n = 0;
    for (int i = 0; i < a.length; i++) if (Float.floatToIntBits(a[i]) == Float.floatToIntBits(b[i])) n++;
    return n;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  @Test void fourWorkersReduceValidationLossAndRunsAreBitIdentical() {
    float[][] thetas = new float[2][];
    List<RoundReport> reports = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      try (LocalDiloco run = LocalDiloco.start(config(OuterConfig.diloco(), 6), DATA, LocalDiloco.meanWithoutCodec(), RoundMembership.fixed(4), TorchTrainer::new)) {
        double initial = run.validationLoss();
        for (int r = 0; r < 2; r++) reports.add(run.runRound());
        assertThat(reports.get(reports.size() - 1).validationLoss()).isLessThan(initial - 0.3);
        thetas[k] = run.theta();
      }
    }
    assertThat(thetas[0]).containsExactly(thetas[1]);
    RoundReport last = reports.get(1);
    assertThat(last.bytesPerWorker()).isEqualTo(2L * 2 * 4 * GPT.layout().size());
    assertThat(last.tokens()).isEqualTo(4L * 6 * 4 * GPT.context());
  }

  @Test void workersMayDropAndJoinBetweenRounds() {
    // round 0: w0,w1,w2; round 1: w0 only; round 2: w0,w1,w3 (w3 new, w2 gone)
    RoundMembership churn = round -> switch (round) {
      case 0 -> List.of("worker-0", "worker-1", "worker-2");
      case 1 -> List.of("worker-0");
      default -> List.of("worker-0", "worker-1", "worker-3");
    };
    try (LocalDiloco run = LocalDiloco.start(config(OuterConfig.diloco(), 10), DATA, LocalDiloco.meanWithoutCodec(), churn, TorchTrainer::new)) {
      double initial = run.validationLoss();
      RoundReport r0 = run.runRound();
      assertThat(r0.workers()).hasSize(3);
      var shardsOfW0 = run.shardsOf("worker-0");
      RoundReport r1 = run.runRound();
      assertThat(r1.workers()).containsExactly("worker-0");
      assertThat(run.shardsOf("worker-0")).hasSize(DATA.train().size()).isNotEqualTo(shardsOfW0); // alone: it gets everything
      RoundReport r2 = run.runRound();
      assertThat(r2.workers()).contains("worker-3");
      assertThat(r2.validationLoss()).isLessThan(initial - 0.5);
      assertThat(r2.tokens()).isEqualTo(3L * 10 * 4 * GPT.context());
    }
  }

  @Test void aWorkerThatDivergesIsRejectedWithAReasonAndTheRunGoesOn() {
    // Creation order: the evaluator, then worker-0, worker-1, worker-2; worker-1 returns NaN.
    int[] created = {0};
    LocalDiloco.TrainerFactory factory = (m, o, init) -> {
      TorchTrainer t = new TorchTrainer(m, o, init);
      return created[0]++ == 2 ? new Diverging(t) : t;
    };
    for (String codec : List.of("none", "int8")) {
      created[0] = 0;
      try (LocalDiloco run = LocalDiloco.start(config(OuterConfig.diloco(), 6), DATA, LocalDiloco.Exchange.of("mean", codec),
          RoundMembership.fixed(3), factory)) {
        double initial = run.validationLoss();
        RoundReport r = null;
        for (int k = 0; k < 2; k++) r = run.runRound();
        assertThat(r.failure()).isEmpty();
        assertThat(r.notAccepted()).singleElement().satisfies(rep -> {
          assertThat(rep.key()).isEqualTo("worker-1");
          assertThat(rep.reason()).contains("NaN");
        });
        assertThat(r.validationLoss()).as(codec).isLessThan(initial - 0.3);
      }
    }
  }

  @Test void int8WithErrorFeedbackTracksTheUncompressedRunAndSendsAQuarter() {
    float[][] thetas = new float[2][];
    long[] bytes = new long[2];
    String[] codecs = {"none", "int8"};
    for (int k = 0; k < 2; k++) {
      try (LocalDiloco run = LocalDiloco.start(config(OuterConfig.diloco(), 6), DATA, LocalDiloco.Exchange.of("mean", codecs[k]),
          RoundMembership.fixed(2), TorchTrainer::new)) {
        RoundReport r = null;
        for (int i = 0; i < 2; i++) r = run.runRound();
        thetas[k] = run.theta();
        bytes[k] = r.bytesPerWorker();
      }
    }
    assertThat((double) bytes[0] / bytes[1]).isBetween(3.8, 4.0);
    double moved = maxAbsDiff(thetas[0], GPT.initialParameters(42));
    assertThat(maxAbsDiff(thetas[0], thetas[1])).isGreaterThan(0).isLessThan(0.05 * moved);
  }

  /** Returns NaN parameters after training: a worker whose inner loop blew up. */
  record Diverging(TorchTrainer t) implements dev.weft.node.train.Trainer {
    @Override public dev.weft.node.train.ParamLayout layout() { return t.layout(); }
    @Override public void loadParameters(float[] p) { t.loadParameters(p); }
    @Override public float[] parameters() { return t.parameters(); }
    @Override public dev.weft.node.train.InnerResult train(dev.weft.node.train.BatchSource d, int steps) {
      dev.weft.node.train.InnerResult r = t.train(d, steps);
      float[] p = r.parameters().clone();
      p[p.length / 2] = Float.NaN;
      return new dev.weft.node.train.InnerResult(p, r.metrics());
    }
    @Override public double evaluate(Iterable<dev.weft.node.train.Batch> b) { return t.evaluate(b); }
    @Override public dev.weft.node.train.OptimizerState optimizerState() { return t.optimizerState(); }
    @Override public void loadOptimizerState(dev.weft.node.train.OptimizerState s) { t.loadOptimizerState(s); }
    @Override public void close() { t.close(); }
  }

  /** Delegates to a trainer but zeroes its AdamW moments before every round. */
  record Forgetful(TorchTrainer t) implements dev.weft.node.train.Trainer {
    @Override public dev.weft.node.train.ParamLayout layout() { return t.layout(); }
    @Override public void loadParameters(float[] p) { t.loadParameters(p); }
    @Override public float[] parameters() { return t.parameters(); }
    @Override public dev.weft.node.train.InnerResult train(dev.weft.node.train.BatchSource d, int steps) {
      int n = t.layout().size();
      t.loadOptimizerState(new dev.weft.node.train.OptimizerState(t.optimizerState().step(), new float[n], new float[n]));
      return t.train(d, steps);
    }
    @Override public double evaluate(Iterable<dev.weft.node.train.Batch> b) { return t.evaluate(b); }
    @Override public dev.weft.node.train.OptimizerState optimizerState() { return t.optimizerState(); }
    @Override public void loadOptimizerState(dev.weft.node.train.OptimizerState s) { t.loadOptimizerState(s); }
    @Override public void close() { t.close(); }
  }
}
