package dev.weft.testnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four honest volunteers, three rounds, twice with the same identities: the network trains and every node holds the same θ each round. */
class TestnetSmokeTest {
  @Test
  void fourHonestNodesAgreeAndLearnTwiceInARow(@TempDir Path out) throws Exception {
    TestnetConfig cfg = new TestnetConfig(4, 0, "signflip", List.of(), List.of(), 3, 3, "mlp", "mean", out, false, true, 60_000, 300_000);
    Testnet.Outcome o = Testnet.runWithClean(cfg, line -> System.err.println(java.time.LocalTime.now() + " " + line));
    for (TestnetResult r : List.of(o.result(), o.clean())) {
      assertThat(r.completed()).as("%s", r.failure()).isTrue();
      assertThat(r.roundsApplied()).isEqualTo(3);
      assertThat(r.disagreements()).isEmpty();
      assertThat(r.records().stream().filter(x -> x.round() == 2).count()).isEqualTo(4);
      assertThat(r.finalLoss()).isLessThan(r.loss().firstEntry().getValue());
    }
    Report.write(Path.of("target/testnet-smoke"), o.result(), o.clean(), "TestnetSmokeTest");
  }
}
