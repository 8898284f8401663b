package dev.weft.node.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutAndScheduleTest {
  @Test void layoutIsContiguousAndValidated() {
    ParamLayout l = ParamLayout.builder().add("a", true, 2, 3).add("b", false, 4).build();
    assertThat(l.size()).isEqualTo(10);
    assertThat(l.entry("b").offset()).isEqualTo(6);
    assertThatThrownBy(() -> ParamLayout.builder().add("h0.w", true, 2)).hasMessageContaining("bad parameter name");
    assertThatThrownBy(() -> ParamLayout.builder().add("a", true, 2).add("a", true, 2).build()).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> new ParamLayout(List.of(new ParamLayout.Entry("a", new long[] {2}, 1, true)))).hasMessageContaining("expected 0");
    assertThatThrownBy(() -> ParamLayout.builder().add("a", true, 0)).hasMessageContaining("non-positive");
    assertThatThrownBy(() -> ParamLayout.builder().add("a", true, 1 << 20, 1 << 20).build()).hasMessageContaining("larger than a Java array");
  }

  @Test void gptLayoutMatchesGpt2ParameterCount() {
    // GPT-2 small has 124,439,808 parameters with a 50257 vocabulary, 1024 positions and an untied
    // head absent (tied); ours differs only in the 256-byte vocabulary.
    GptConfig g = GptConfig.gpt2Small();
    long expected = 124_439_808L - (50257L - 256) * 768;
    assertThat((long) g.layout().size()).isEqualTo(expected);
    assertThat(GptConfig.tiny().layout().entries()).allMatch(e -> !e.name().contains("."));
  }

  @Test void initialisationIsSeededAndGpt2Shaped() {
    GptConfig g = GptConfig.micro();
    float[] a = g.initialParameters(1), b = g.initialParameters(1), c = g.initialParameters(2);
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
    ParamLayout.Entry wte = g.layout().entry("wte");
    double sq = 0;
    for (long i = wte.offset(); i < wte.end(); i++) sq += a[(int) i] * a[(int) i];
    assertThat(Math.sqrt(sq / wte.numel())).isCloseTo(0.02, within(0.001));
    assertThat(a[(int) g.layout().entry("lnf_w").offset()]).isEqualTo(1f);
    assertThat(a[(int) g.layout().entry("h0_attn_qkv_b").offset()]).isEqualTo(0f);
  }

  @Test void warmupThenCosine() {
    LrSchedule s = new LrSchedule(1.0, 10, 110, 0.1);
    assertThat(s.at(0)).isCloseTo(0.1, within(1e-12));
    assertThat(s.at(9)).isCloseTo(1.0, within(1e-12));
    assertThat(s.at(10)).isCloseTo(1.0, within(1e-12));
    assertThat(s.at(60)).isCloseTo(0.55, within(1e-12)); // halfway: cos = 0 → min + (1-min)/2
    assertThat(s.at(110)).isCloseTo(0.1, within(1e-12));
    assertThat(s.at(1000)).isCloseTo(0.1, within(1e-12));
    assertThatThrownBy(() -> new LrSchedule(Double.NaN, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test void modelSpecsRoundTrip() {
    for (ModelSpec m : List.of(GptConfig.tiny(), GptConfig.micro(), MlpConfig.small(), new GptConfig("x", 3, 48, 3, 17))) {
      assertThat(ModelSpecs.parse(ModelSpecs.format(m))).isEqualTo(m);
    }
    assertThat(ModelSpecs.parse("gpt-tiny")).isEqualTo(GptConfig.tiny());
    assertThatThrownBy(() -> ModelSpecs.parse("gpt:x:1:2")).hasMessageContaining("unknown model");
    assertThatThrownBy(() -> ModelSpecs.parse("gpt:x:a:2:1:1")).hasMessageContaining("bad number");
    assertThatThrownBy(() -> ModelSpecs.parse("gpt:x:1:30:4:8")).hasMessageContaining("heads must divide");
  }
}
