package dev.weft.crdt.type;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The payload of a causal CRDT (Almeida, Shoker, Baquero, "Delta State Replicated Data Types",
 * section 6): dots mapped to what they wrote. Joined together with the two sides' causal contexts:
 * a dot survives if both sides have it, or if the side without it has not seen it (so it was not
 * removed there). Immutable.
 */
public sealed interface DotStore {
  Shape shape();

  boolean isBottom();

  /** Every dot in the store (must be within the owner's causal context). */
  void collectDots(CausalContext.Builder into);

  /** Whether every dot in the store was written by {@code replica}. */
  boolean allDotsBy(String replica);

  /** The join of {@code this} (with context {@code c}) and {@code o} (with context {@code oc}). */
  DotStore join(DotStore o, CausalContext c, CausalContext oc);

  /** A set of dots. */
  record DotSet(NavigableSet<Dot> dots) implements DotStore {
    public static final DotSet EMPTY = new DotSet(new TreeSet<>());

    public DotSet {
      dots = Collections.unmodifiableNavigableSet(new TreeSet<>(dots));
    }

    @Override public Shape shape() {
      return Shape.SET;
    }

    @Override public boolean isBottom() {
      return dots.isEmpty();
    }

    @Override public void collectDots(CausalContext.Builder into) {
      for (Dot d : dots) into.add(d);
    }

    @Override public boolean allDotsBy(String replica) {
      for (Dot d : dots) if (!d.replica().equals(replica)) return false;
      return true;
    }

    @Override public DotStore join(DotStore other, CausalContext c, CausalContext oc) {
      DotSet o = (DotSet) other;
      TreeSet<Dot> out = new TreeSet<>();
      for (Dot d : dots) if (o.dots.contains(d) || !oc.contains(d)) out.add(d);
      for (Dot d : o.dots) if (!c.contains(d)) out.add(d);
      return new DotSet(out);
    }
  }

  /**
   * Dots mapped to values: a multi-value register's concurrent writes. Two stores that map one dot
   * to different values (only a lying writer can cause it) keep the larger value, so the join
   * stays commutative.
   */
  record DotFun(NavigableMap<Dot, Bytes> values) implements DotStore {
    public static final DotFun EMPTY = new DotFun(new TreeMap<>());

    public DotFun {
      values = Collections.unmodifiableNavigableMap(new TreeMap<>(values));
    }

    @Override public Shape shape() {
      return Shape.FUN;
    }

    @Override public boolean isBottom() {
      return values.isEmpty();
    }

    @Override public void collectDots(CausalContext.Builder into) {
      for (Dot d : values.keySet()) into.add(d);
    }

    @Override public boolean allDotsBy(String replica) {
      for (Dot d : values.keySet()) if (!d.replica().equals(replica)) return false;
      return true;
    }

    @Override public DotStore join(DotStore other, CausalContext c, CausalContext oc) {
      DotFun o = (DotFun) other;
      TreeMap<Dot, Bytes> out = new TreeMap<>();
      for (Map.Entry<Dot, Bytes> e : values.entrySet()) {
        Bytes theirs = o.values.get(e.getKey());
        if (theirs != null) out.put(e.getKey(), theirs.compareTo(e.getValue()) > 0 ? theirs : e.getValue());
        else if (!oc.contains(e.getKey())) out.put(e.getKey(), e.getValue());
      }
      for (Map.Entry<Dot, Bytes> e : o.values.entrySet()) {
        if (!values.containsKey(e.getKey()) && !c.contains(e.getKey())) out.put(e.getKey(), e.getValue());
      }
      return new DotFun(out);
    }
  }

  /** Keys mapped to non-empty stores of one shape: an OR-map (add-wins on keys). */
  record DotMap(Shape valueShape, NavigableMap<String, DotStore> entries) implements DotStore {
    public DotMap {
      Objects.requireNonNull(valueShape, "valueShape");
      TreeMap<String, DotStore> copy = new TreeMap<>();
      for (Map.Entry<String, DotStore> e : entries.entrySet()) {
        if (!e.getValue().shape().equals(valueShape)) {
          throw new IllegalArgumentException("entry " + e.getKey() + " has shape " + e.getValue().shape() + ", map holds " + valueShape);
        }
        if (!e.getValue().isBottom()) copy.put(e.getKey(), e.getValue());
      }
      entries = Collections.unmodifiableNavigableMap(copy);
    }

    @Override public Shape shape() {
      return Shape.map(valueShape);
    }

    @Override public boolean isBottom() {
      return entries.isEmpty();
    }

    public DotStore get(String key) {
      DotStore s = entries.get(key);
      return s == null ? valueShape.bottom() : s;
    }

    @Override public void collectDots(CausalContext.Builder into) {
      for (DotStore s : entries.values()) s.collectDots(into);
    }

    @Override public boolean allDotsBy(String replica) {
      for (DotStore s : entries.values()) if (!s.allDotsBy(replica)) return false;
      return true;
    }

    @Override public DotStore join(DotStore other, CausalContext c, CausalContext oc) {
      DotMap o = (DotMap) other;
      if (!o.valueShape.equals(valueShape)) throw new IllegalArgumentException("joining maps of " + valueShape + " and " + o.valueShape);
      TreeSet<String> keys = new TreeSet<>(entries.keySet());
      keys.addAll(o.entries.keySet());
      TreeMap<String, DotStore> out = new TreeMap<>();
      for (String k : keys) {
        DotStore j = get(k).join(o.get(k), c, oc);
        if (!j.isBottom()) out.put(k, j);
      }
      return new DotMap(valueShape, out);
    }
  }
}
