package dev.weft.crdt.type;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded histories for every CRDT type: a few replicas that mutate and sync at random. Each
 * history records every state and delta it produced, for the law suite and the codec tests.
 */
public final class CrdtGenerators {
  private CrdtGenerators() {}

  static final String[] REPLICAS = {"alice", "bob", "carol"};
  static final String[] ELEMENTS = {"a", "b", "c", "d"};

  /** One type's mutators. */
  public interface TypeGen {
    String name();

    Crdt bottom();

    /** A random mutation of {@code state} by {@code replica}. */
    Mutation<? extends Crdt> mutate(Crdt state, String replica, Random random, long wallMillis);
  }

  /** What a history produced. */
  public record History(List<Crdt> finalStates, List<Crdt> deltas, List<Crdt> allStates) {}

  public static List<TypeGen> all() {
    return List.of(
        gen("g-counter", GCounter.EMPTY, (s, rep, r, t) -> ((GCounter) s).increment(rep, 1 + r.nextInt(5))),
        gen("pn-counter", PNCounter.EMPTY, (s, rep, r, t) -> ((PNCounter) s).add(rep, r.nextBoolean() ? 1 + r.nextInt(5) : -1 - r.nextInt(5))),
        gen("lww-register", LwwRegister.EMPTY, (s, rep, r, t) -> {
          // Stamps collide on purpose (few distinct instants) to exercise the tie-breaks.
          Hlc stamp = new Hlc(t / 3, r.nextInt(2));
          return ((LwwRegister) s).write(stamp, rep, value(r));
        }),
        gen("mv-register", MVRegister.EMPTY, (s, rep, r, t) -> ((MVRegister) s).write(rep, value(r))),
        gen("or-set", ORSet.EMPTY, (s, rep, r, t) -> {
          String e = ELEMENTS[r.nextInt(ELEMENTS.length)];
          return r.nextInt(3) == 0 ? ((ORSet) s).remove(e) : ((ORSet) s).add(rep, e);
        }),
        gen("or-map<fun>", ORMap.empty(Shape.FUN), (s, rep, r, t) -> {
          String k = ELEMENTS[r.nextInt(ELEMENTS.length)];
          return r.nextInt(3) == 0 ? ((ORMap) s).remove(k) : ((ORMap) s).put(rep, k, value(r));
        }),
        gen("or-map<map<set>>", ORMap.empty(Shape.map(Shape.SET)), (s, rep, r, t) -> {
          ORMap m = (ORMap) s;
          String k = ELEMENTS[r.nextInt(ELEMENTS.length)];
          String e = ELEMENTS[r.nextInt(ELEMENTS.length)];
          return switch (r.nextInt(4)) {
            case 0 -> m.remove(k);
            case 1 -> m.update(k, inner -> Causal.removeKey(inner, e));
            default -> m.update(k, inner -> Causal.inKey(inner, e, el -> Causal.add(el, rep)));
          };
        }));
  }

  private interface Op {
    Mutation<? extends Crdt> apply(Crdt s, String replica, Random r, long t);
  }

  private static TypeGen gen(String name, Crdt bottom, Op op) {
    return new TypeGen() {
      @Override public String name() {
        return name;
      }

      @Override public Crdt bottom() {
        return bottom;
      }

      @Override public Mutation<? extends Crdt> mutate(Crdt state, String replica, Random random, long wallMillis) {
        return op.apply(state, replica, random, wallMillis);
      }

      @Override public String toString() {
        return name;
      }
    };
  }

  static Bytes value(Random r) {
    byte[] b = new byte[r.nextInt(4)];
    r.nextBytes(b);
    return Bytes.of(b);
  }

  /** Runs {@code steps} random steps (mutate or sync) over the replicas. */
  public static History history(TypeGen g, Random r, int steps) {
    Crdt[] states = new Crdt[REPLICAS.length];
    java.util.Arrays.fill(states, g.bottom());
    List<Crdt> deltas = new ArrayList<>();
    List<Crdt> all = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      int a = r.nextInt(states.length);
      if (r.nextInt(4) == 0) {
        int b = r.nextInt(states.length);
        states[a] = states[a].merge(states[b]);
      } else {
        Mutation<? extends Crdt> m = g.mutate(states[a], REPLICAS[a], r, i);
        if (!states[a].merge(m.delta()).equals(m.state())) {
          throw new AssertionError(g.name() + ": state.merge(delta) differs from the mutator's new state");
        }
        states[a] = m.state();
        deltas.add(m.delta());
      }
      all.add(states[a]);
    }
    return new History(List.of(states), deltas, all);
  }
}
