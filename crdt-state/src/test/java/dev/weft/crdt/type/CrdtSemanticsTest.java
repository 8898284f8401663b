package dev.weft.crdt.type;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What each type means, beyond the laws: add-wins, concurrent values kept, HLC refuses the far future. */
class CrdtSemanticsTest {
  @Test void orSetAddWinsOverAConcurrentRemove() {
    ORSet base = ORSet.EMPTY.add("alice", "x").state();
    ORSet removed = base.remove("x").state();
    ORSet readded = base.add("bob", "x").state();
    assertThat(removed.contains("x")).isFalse();
    assertThat(removed.merge(readded).contains("x")).isTrue();
    // A remove that has seen the re-add removes it.
    assertThat(removed.merge(readded).remove("x").state().merge(readded).contains("x")).isFalse();
  }

  @Test void mvRegisterKeepsConcurrentWritesUntilOneSeesThemAll() {
    MVRegister a = MVRegister.EMPTY.write("alice", Bytes.utf8("1")).state();
    MVRegister b = MVRegister.EMPTY.write("bob", Bytes.utf8("2")).state();
    MVRegister both = a.merge(b);
    assertThat(both.values()).containsExactlyInAnyOrder(Bytes.utf8("1"), Bytes.utf8("2"));
    assertThat(both.write("carol", Bytes.utf8("3")).state().merge(a).values()).containsExactly(Bytes.utf8("3"));
  }

  @Test void nestedMapUpdateConcurrentWithKeyRemoveSurvives() {
    ORMap m = ORMap.empty(Shape.map(Shape.SET));
    ORMap withX = m.update("k", inner -> Causal.inKey(inner, "x", e -> Causal.add(e, "alice"))).state();
    ORMap removed = withX.remove("k").state();
    ORMap withY = withX.update("k", inner -> Causal.inKey(inner, "y", e -> Causal.add(e, "bob"))).state();
    ORMap merged = removed.merge(withY);
    assertThat(merged.keys()).containsExactly("k");
    assertThat(merged.get("k").entries().keySet()).containsExactly("y");
  }

  @Test void countersCountAndLwwPrefersTheLaterStamp() {
    PNCounter c = PNCounter.EMPTY.add("a", 5).state().add("a", -2).state().merge(PNCounter.EMPTY.add("b", 10).state());
    assertThat(c.value()).isEqualTo(13);
    LwwRegister early = LwwRegister.EMPTY.write(new Hlc(10, 0), "zed", Bytes.utf8("early")).state();
    LwwRegister late = LwwRegister.EMPTY.write(new Hlc(10, 1), "amy", Bytes.utf8("late")).state();
    assertThat(early.merge(late).value()).isEqualTo(Bytes.utf8("late"));
  }

  @Test void hybridClockRefusesATimestampFarInTheFutureAndFollowsANearOne() {
    long[] wall = {1_000_000};
    HybridClock clock = new HybridClock(() -> wall[0], 60_000);
    Hlc tenYears = new Hlc(wall[0] + 10L * 365 * 24 * 3600 * 1000, 0);
    assertThat(clock.observe(tenYears)).isFalse();
    assertThat(clock.now().physicalMillis()).isEqualTo(wall[0]);
    assertThat(clock.observe(new Hlc(wall[0] + 5_000, 3))).isTrue();
    Hlc next = clock.now();
    assertThat(next).isEqualTo(new Hlc(wall[0] + 5_000, 4));
    wall[0] += 10_000;
    assertThat(clock.now()).isEqualTo(new Hlc(wall[0], 0));
  }
}
