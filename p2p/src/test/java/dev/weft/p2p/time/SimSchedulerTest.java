package dev.weft.p2p.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimSchedulerTest {
  @Test
  void runsTasksInDueThenSubmissionOrderAndAdvancesVirtualTime() {
    SimScheduler s = new SimScheduler(1);
    List<String> order = new ArrayList<>();
    s.schedule(20, () -> order.add("b@" + s.nowMillis()));
    s.schedule(10, () -> order.add("a@" + s.nowMillis()));
    s.schedule(20, () -> order.add("c@" + s.nowMillis()));
    Cancellable gone = s.schedule(15, () -> order.add("cancelled"));
    gone.cancel();
    s.runUntil(19);
    assertThat(order).containsExactly("a@10");
    assertThat(s.nowMillis()).isEqualTo(19);
    s.runFor(100);
    assertThat(order).containsExactly("a@10", "b@20", "c@20");
    assertThat(s.nowMillis()).isEqualTo(119);
  }

  @Test
  void fixedRateRepeatsUntilCancelled() {
    SimScheduler s = new SimScheduler(1);
    List<Long> ticks = new ArrayList<>();
    Cancellable c = s.scheduleAtFixedRate(5, 10, () -> ticks.add(s.nowMillis()));
    s.runUntil(40);
    c.cancel();
    s.runUntil(100);
    assertThat(ticks).containsExactly(5L, 15L, 25L, 35L);
  }

  @Test
  void sameSeedSameRandomStream() {
    assertThat(new SimScheduler(42).random().nextLong()).isEqualTo(new SimScheduler(42).random().nextLong());
  }
}
