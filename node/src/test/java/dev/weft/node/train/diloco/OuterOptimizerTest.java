package dev.weft.node.train.diloco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class OuterOptimizerTest {
  @Test void nesterovMatchesTheFormulaOverTwoRounds() {
    OuterOptimizer o = new OuterOptimizer(OuterConfig.diloco(), 1);
    float[] theta = {1.0f};
    theta = o.apply(theta, new float[] {0.1f}); // b=0.1, u=0.1+0.9*0.1=0.19, θ=1-0.7*0.19
    assertThat(theta[0]).isCloseTo(1 - 0.7f * 0.19f, within(1e-6f));
    theta = o.apply(theta, new float[] {0.2f}); // b=0.9*0.1+0.2=0.29, u=0.2+0.9*0.29=0.461
    assertThat(theta[0]).isCloseTo(1 - 0.7f * 0.19f - 0.7f * 0.461f, within(1e-6f));
    assertThat(o.momentum()[0]).isCloseTo(0.29f, within(1e-6f));
    assertThat(o.rounds()).isEqualTo(2);
  }

  @Test void restoredStateContinuesIdentically() {
    OuterOptimizer a = new OuterOptimizer(OuterConfig.diloco(), 3);
    float[] t = {1, 2, 3};
    t = a.apply(t, new float[] {0.1f, -0.2f, 0.3f});
    OuterOptimizer b = new OuterOptimizer(OuterConfig.diloco(), a.momentum(), a.rounds());
    float[] d = {0.05f, 0.05f, -0.4f};
    assertThat(b.apply(t, d)).containsExactly(a.apply(t, d));
  }

  @Test void rejectsNonFiniteState() {
    assertThatThrownBy(() -> new OuterOptimizer(OuterConfig.diloco(), new float[] {Float.NaN}, 0)).hasMessageContaining("non-finite");
  }

  @Test void meanIsOrderIndependentAndRejectsBadInput() {
    MeanAggregator m = new MeanAggregator();
    Contribution a = new Contribution("a", new float[] {1, 2}, 10), b = new Contribution("b", new float[] {3, 0.1f}, 10);
    assertThat(m.aggregate(List.of(a, b))).containsExactly(m.aggregate(List.of(b, a)));
    assertThat(m.aggregate(List.of(a, b))).containsExactly(2f, 1.05f);
    assertThatThrownBy(() -> m.aggregate(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> m.aggregate(List.of(a, new Contribution("c", new float[] {1}, 1)))).hasMessageContaining("expected 2");
    assertThatThrownBy(() -> m.aggregate(List.of(a, new Contribution("c", new float[] {1, Float.NaN}, 1)))).hasMessageContaining("non-finite");
  }
}
