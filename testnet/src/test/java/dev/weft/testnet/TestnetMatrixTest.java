package dev.weft.testnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The matrix bench's plumbing on the smallest real matrix: one clean run, one attacked cell. */
class TestnetMatrixTest {
  @Test void oneCellAgainstItsCleanRunGivesARowWithEveryColumn(@TempDir Path dir) throws Exception {
    TestnetMatrix.Spec s = new TestnetMatrix.Spec(4, List.of(1), List.of("signflip"), List.of("mean"), List.of(0.0), 3, 2, "mlp", 20_000, 300_000, dir);
    assertThat(s.cells()).isEqualTo(1);
    List<TestnetMatrix.Row> rows = TestnetMatrix.run(s, line -> System.err.println(java.time.LocalTime.now() + " " + line));
    assertThat(rows).hasSize(1);
    TestnetMatrix.Row r = rows.get(0);
    assertThat(r.completed()).isTrue();
    assertThat(r.agreed()).isTrue();
    assertThat(r.roundsLost()).isZero();
    assertThat(r.bytesPerHonest()).isPositive();
    assertThat(r.finalLoss()).isNotNull();
    assertThat(r.cleanLoss()).isNotNull();
    // A sign flip ×4 against the plain mean: the attacked run ends above its clean twin.
    assertThat(r.gap()).as("gap %s", r.gap()).isPositive();
    String md = TestnetMatrix.markdown(rows);
    assertThat(md).contains("| 1 | signflip | mean | 0% |").contains("| yes |");
  }

  @Test void theSpecIsCheckedBeforeAnythingRuns() {
    assertThatThrownBy(() -> new TestnetMatrix.Spec(8, List.of(8), List.of("signflip"), List.of("mean"), List.of(0.0), 3, 1, "mlp", 8000, 60_000, null))
        .hasMessageContaining("--byzantine 8");
    assertThatThrownBy(() -> new TestnetMatrix.Spec(8, List.of(1), List.of("nonsense"), List.of("mean"), List.of(0.0), 3, 1, "mlp", 8000, 60_000, null))
        .hasMessageContaining("unknown attack");
    assertThatThrownBy(() -> new TestnetMatrix.Spec(8, List.of(1), List.of("signflip"), List.of("mean"), List.of(1.0), 3, 1, "mlp", 8000, 60_000, null))
        .hasMessageContaining("--churn");
    assertThatThrownBy(() -> new TestnetMatrix.Spec(8, List.of(1), List.of("signflip"), List.of("mean"), List.of(0.0), 0, 1, "mlp", 8000, 60_000, null))
        .as("what every cell's config checks, checked before any cell runs").hasMessageContaining("--rounds");
    List<String> many = java.util.stream.IntStream.range(0, 30).mapToObj(i -> "signflip:" + (i + 1)).toList();
    assertThatThrownBy(() -> new TestnetMatrix.Spec(8, List.of(1, 2, 3), many, List.of("mean", "median", "centered-clip"), List.of(0.0), 3, 1, "mlp", 8000, 60_000, null))
        .hasMessageContaining("cells, at most");
    // f = 0 is one row per rule and churn, whatever the attacks.
    assertThat(new TestnetMatrix.Spec(8, List.of(0, 1), List.of("signflip", "alie"), List.of("mean"), List.of(0.0, 0.1), 3, 1, "mlp", 8000, 60_000, null).cells())
        .isEqualTo(6);
  }
}
