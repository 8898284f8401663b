package dev.weft.testnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three honest volunteers, three rounds: the network trains and every node holds the same θ each round. */
class TestnetSmokeTest {
  @Test
  void threeHonestNodesAgreeAndLearn(@TempDir Path out) throws Exception {
    TestnetResult r = Testnet.run(new TestnetConfig(3, 0, "signflip", List.of(), List.of(), 3, 3, "mlp", "mean", out, false, false, 10_000, 90_000),
        System.err::println);
    assertThat(r.completed()).as("%s", r.failure()).isTrue();
    assertThat(r.roundsApplied()).isEqualTo(3);
    assertThat(r.disagreements()).isEmpty();
    assertThat(r.records().stream().filter(x -> x.round() == 2).count()).isEqualTo(3);
    assertThat(r.finalLoss()).isLessThan(r.loss().firstEntry().getValue());
  }
}
