package dev.weft.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AggregatorsTest {
  @Test
  void parsesEverySpec() {
    assertThat(Aggregators.parse("mean")).isInstanceOf(Mean.class);
    assertThat(Aggregators.parse("median")).isInstanceOf(CoordinateMedian.class);
    assertThat(((TrimmedMean) Aggregators.parse("trimmed-mean:0.25")).trimmed(16)).isEqualTo(4);
    assertThat(Aggregators.parse("krum:4").minInputs()).isEqualTo(11);
    assertThat(Aggregators.parse("multi-krum:2").name()).isEqualTo("multi-krum(f=2,m=n-f)");
    assertThat(Aggregators.parse("geometric-median")).isInstanceOf(GeometricMedian.class);
    assertThat(Aggregators.parse("norm-clip")).isInstanceOf(NormClipping.class);
    assertThat(Aggregators.parse("bucketing:2:krum:1").name()).isEqualTo("bucketing(s=2,krum(f=1))");
    assertThat(Aggregators.defaultRule()).isInstanceOf(GeometricMedian.class);
    assertThat(Aggregators.parse("centered-clip-prev:0.5").name()).contains("start=previous-aggregate").contains("tau=0.5*median");
    assertThat(Aggregators.parse("nnm:4:centered-clip").minInputs()).isEqualTo(9);
    assertThat(Aggregators.parse("bucketing:2:median").name()).isEqualTo("bucketing(s=2,median)");
  }

  @Test
  void rejectsBadSpecs() {
    assertThatThrownBy(() -> Aggregators.parse("avg")).hasMessageContaining("unknown");
    assertThatThrownBy(() -> Aggregators.parse("krum")).hasMessageContaining("parameter");
    assertThatThrownBy(() -> Aggregators.parse("krum:x")).hasMessageContaining("bad number");
    assertThatThrownBy(() -> Aggregators.parse("trimmed-mean:0.5")).isInstanceOf(IllegalArgumentException.class);
  }
}
