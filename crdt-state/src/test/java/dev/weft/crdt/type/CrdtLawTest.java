package dev.weft.crdt.type;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.crdt.codec.DecodeLimits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The join-semilattice laws, run against every CRDT type on seeded random histories: merge is
 * commutative, associative and idempotent; folding every delta in any order, with duplicates,
 * equals merging the replicas' full states; and every value round-trips through the canonical
 * encoding to identical bytes. A failure names the type and seed.
 */
class CrdtLawTest {
  private static final int SEEDS = 40;

  static Stream<CrdtGenerators.TypeGen> types() {
    return CrdtGenerators.all().stream();
  }

  @ParameterizedTest(name = "{0}") @MethodSource("types")
  void mergeIsCommutativeAssociativeIdempotent(CrdtGenerators.TypeGen g) {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Random r = new Random(seed);
      List<Crdt> states = CrdtGenerators.history(g, r, 30).allStates();
      for (int i = 0; i < 20; i++) {
        Crdt a = pick(states, r);
        Crdt b = pick(states, r);
        Crdt c = pick(states, r);
        String where = g.name() + " seed " + seed;
        assertThat(a.merge(b)).as("commutative, " + where).isEqualTo(b.merge(a));
        assertThat(a.merge(b).merge(c)).as("associative, " + where).isEqualTo(a.merge(b.merge(c)));
        assertThat(a.merge(a)).as("idempotent, " + where).isEqualTo(a);
        assertThat(a.merge(g.bottom())).as("bottom is neutral, " + where).isEqualTo(a);
      }
    }
  }

  @ParameterizedTest(name = "{0}") @MethodSource("types")
  void foldingDeltasInAnyOrderWithDuplicatesEqualsMergingFullStates(CrdtGenerators.TypeGen g) {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Random r = new Random(seed);
      CrdtGenerators.History h = CrdtGenerators.history(g, r, 40);
      Crdt full = g.bottom();
      for (Crdt s : h.finalStates()) full = full.merge(s);
      List<Crdt> shuffled = new ArrayList<>(h.deltas());
      for (int i = 0; i < h.deltas().size() / 3; i++) shuffled.add(pick(h.deltas(), r));
      Collections.shuffle(shuffled, r);
      Crdt folded = g.bottom();
      for (Crdt d : shuffled) folded = folded.merge(d);
      assertThat(folded).as(g.name() + " seed " + seed).isEqualTo(full);
    }
  }

  @ParameterizedTest(name = "{0}") @MethodSource("types")
  void everyStateAndDeltaRoundTripsToIdenticalBytes(CrdtGenerators.TypeGen g) throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      CrdtGenerators.History h = CrdtGenerators.history(g, new Random(seed), 30);
      List<Crdt> values = new ArrayList<>(h.allStates());
      values.addAll(h.deltas());
      values.add(g.bottom());
      for (Crdt v : values) {
        byte[] bytes = CrdtCodec.encode(v);
        Crdt back = CrdtCodec.decode(bytes, DecodeLimits.local());
        assertThat(back).as(g.name() + " seed " + seed).isEqualTo(v);
        assertThat(CrdtCodec.encode(back)).isEqualTo(bytes);
      }
    }
  }

  @ParameterizedTest(name = "{0}") @MethodSource("types")
  void deltasAreAuthoredByTheirWriterOnly(CrdtGenerators.TypeGen g) {
    Random r = new Random(7);
    Crdt s = g.bottom();
    for (int i = 0; i < 20; i++) {
      Mutation<? extends Crdt> m = g.mutate(s, "alice", r, i);
      if (m.delta().isBottom()) continue;
      s = m.state();
      assertThat(m.delta().authoredBy("alice")).isTrue();
      // A remove carries only a context, which is not attributed to anyone.
      if (!(m.delta() instanceof CausalCrdt c && c.causal().store().isBottom())) {
        assertThat(m.delta().authoredBy("mallory")).as(g.name() + ": " + m.delta()).isFalse();
      }
    }
  }

  private static Crdt pick(List<Crdt> l, Random r) {
    return l.get(r.nextInt(l.size()));
  }
}
