package dev.weft.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Laws every rule must obey: determinism, key order, no mutation, NaN rejection, misuse. */
class AggregatorContractTest {
  static Stream<Aggregator> rules() {
    return TestVectors.allRules().stream();
  }

  /** Spans several chunks with a ragged tail, so threads really split the work. */
  private static final int D = 5 * ChunkRunner.CHUNK + 123;

  @ParameterizedTest
  @MethodSource("rules")
  void bitIdenticalForOneTwoAndSevenThreads(Aggregator rule) {
    var in = TestVectors.gaussian(16, D, 11);
    float[] serial = rule.aggregate(in).aggregate();
    for (int threads : new int[] {2, 7}) {
      try (ChunkRunner runner = ChunkRunner.withThreads(threads)) {
        AggregationResult r = rule.aggregate(in, runner);
        assertThat(r.aggregate()).as("%s with %d threads", rule, threads).isEqualTo(serial);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("rules")
  void outputDependsOnKeysNotOnListOrder(Aggregator rule) {
    var in = TestVectors.gaussian(16, 300, 12);
    float[] reference = rule.aggregate(in).aggregate();
    List<AggregationInput> shuffled = new ArrayList<>(in);
    Collections.shuffle(shuffled, new Random(5));
    AggregationResult r = rule.aggregate(shuffled);
    assertThat(r.aggregate()).isEqualTo(reference);
    assertThat(r.reports()).isEqualTo(rule.aggregate(in).reports());
  }

  @ParameterizedTest
  @MethodSource("rules")
  void neverWritesItsInputs(Aggregator rule) {
    var in = TestVectors.gaussian(16, 500, 13);
    List<float[]> before = in.stream().map(i -> i.values().clone()).toList();
    rule.aggregate(in);
    for (int i = 0; i < in.size(); i++) assertThat(in.get(i).values()).isEqualTo(before.get(i));
  }

  @ParameterizedTest
  @MethodSource("rules")
  void rejectsNonFiniteInputsAndAggregatesTheRest(Aggregator rule) {
    var in = new ArrayList<>(TestVectors.gaussian(18, 3 * ChunkRunner.CHUNK, 14));
    float[] nan = in.get(3).values().clone();
    nan[2 * ChunkRunner.CHUNK + 17] = Float.NaN;
    float[] inf = in.get(9).values().clone();
    inf[0] = Float.NEGATIVE_INFINITY;
    in.set(3, new AggregationInput(in.get(3).key(), nan, 1));
    in.set(9, new AggregationInput(in.get(9).key(), inf, 1));
    AggregationResult r = rule.aggregate(in);
    assertThat(r.keysWith(Verdict.REJECTED)).contains(in.get(3).key(), in.get(9).key());
    assertThat(r.report(in.get(3).key()).reason()).contains("NaN");
    List<AggregationInput> rest = new ArrayList<>(in);
    rest.remove(9);
    rest.remove(3);
    assertThat(r.aggregate()).isEqualTo(rule.aggregate(rest).aggregate());
    for (float v : r.aggregate()) assertThat(Float.isFinite(v)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("rules")
  void tooFewFiniteInputsGiveAFailedResultNotAnException(Aggregator rule) {
    int n = Math.max(rule.minInputs(), 2);
    var in = new ArrayList<>(TestVectors.gaussian(n, 10, 15));
    for (int i = 0; i < n; i++) {
      float[] v = in.get(i).values().clone();
      v[i % 10] = Float.POSITIVE_INFINITY;
      in.set(i, new AggregationInput(in.get(i).key(), v, 1));
    }
    AggregationResult r = rule.aggregate(in);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.failure()).contains("finite");
    assertThat(r.keysWith(Verdict.REJECTED)).hasSize(n);
  }

  @ParameterizedTest
  @MethodSource("rules")
  void misuseIsRejectedUpFront(Aggregator rule) {
    assertThatThrownBy(() -> rule.aggregate(List.of())).isInstanceOf(IllegalArgumentException.class);
    var in = new ArrayList<>(TestVectors.gaussian(16, 10, 16));
    in.set(4, AggregationInput.of(in.get(4).key(), new float[9]));
    assertThatThrownBy(() -> rule.aggregate(in))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length");
    var dup = new ArrayList<>(TestVectors.gaussian(16, 10, 16));
    dup.set(5, AggregationInput.of(dup.get(4).key(), dup.get(5).values()));
    assertThatThrownBy(() -> rule.aggregate(dup)).hasMessageContaining("duplicate");
    if (rule.minInputs() > 1) {
      var few = TestVectors.gaussian(rule.minInputs() - 1, 10, 17);
      assertThatThrownBy(() -> rule.aggregate(few)).hasMessageContaining("at least");
    }
  }

  @ParameterizedTest
  @MethodSource("rules")
  void everyInputGetsOneReportInKeyOrder(Aggregator rule) {
    var in = TestVectors.gaussian(16, 50, 18);
    AggregationResult r = rule.aggregate(in);
    assertThat(r.reports()).extracting(InputReport::key).isSorted().hasSize(16);
    for (InputReport rep : r.reports()) assertThat(rep.influence()).isBetween(0.0, 1.0);
  }

  @ParameterizedTest
  @MethodSource("rules")
  void agreementOnIdenticalInputs(Aggregator rule) {
    float[] v = {1.5f, -2f, 0f, 7.25f};
    List<AggregationInput> in = new ArrayList<>();
    for (int i = 0; i < 16; i++) in.add(AggregationInput.of("p" + (char) ('a' + i), v.clone()));
    assertThat(rule.aggregate(in).aggregate()).containsExactly(v);
  }
}
