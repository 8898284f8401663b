package dev.weft.node.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.node.round.CutoffEstimator.CutoffConfig;
import org.junit.jupiter.api.Test;

class CutoffEstimatorTest {
  final CutoffConfig cfg = new CutoffConfig(5_000, 500, 60_000, 3, 4, 4, 0.1);

  @Test
  void usesTheInitialCutoffUntilEnoughArrivalsWereSeen() {
    CutoffEstimator e = new CutoffEstimator(cfg);
    assertEquals(5_000, e.cutoffMillis());
    e.record(new long[] {1000, 1100, 1200});
    assertEquals(5_000, e.cutoffMillis());
  }

  @Test
  void medianPlusKMads() {
    CutoffEstimator e = new CutoffEstimator(cfg);
    e.record(new long[] {1000, 1100, 1200, 1300, 1400});
    // median 1200, deviations 200,100,0,100,200 → MAD 100 → 1200 + 3·100
    assertEquals(1500, e.cutoffMillis());
  }

  @Test
  void identicalArrivalsStillLeaveTheSlack() {
    CutoffEstimator e = new CutoffEstimator(cfg);
    e.record(new long[] {2000, 2000, 2000, 2000});
    assertEquals(2200, e.cutoffMillis());
  }

  @Test
  void oneHugeStragglerBarelyMovesIt() {
    CutoffEstimator e = new CutoffEstimator(cfg);
    e.record(new long[] {1000, 1100, 1200, 1300, 1400, 1_000_000});
    assertTrue(e.cutoffMillis() < 2_000, "cut-off " + e.cutoffMillis());
  }

  @Test
  void clampedAndWindowed() {
    CutoffEstimator e = new CutoffEstimator(cfg);
    e.record(new long[] {1, 2, 3, 4});
    assertEquals(500, e.cutoffMillis());
    for (int i = 0; i < 4; i++) e.record(new long[] {200_000, 200_000});
    assertEquals(60_000, e.cutoffMillis(), "older rounds left the window");
  }

  @Test
  void invalidConfigIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CutoffConfig(100, 500, 60_000, 3, 4, 4, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new CutoffConfig(5_000, 500, 60_000, -1, 4, 4, 0.1));
  }
}
