package dev.weft.crdt.type;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A dot store with its causal context: the state of every causal CRDT (multi-value register,
 * OR-set, OR-map) and of their deltas. The static mutators here return deltas only; the new state
 * is {@code state.join(delta)}. They take a nested store together with the outermost context, which
 * is what makes maps of causal CRDTs compose: one context for the whole tree.
 *
 * @param store the payload; its dots are always within {@code context}
 * @param context every dot this state has seen, including removed ones
 */
public record Causal(DotStore store, CausalContext context) {
  public Causal {
    CausalContext.Builder b = new CausalContext.Builder();
    store.collectDots(b);
    CausalContext dots = b.build();
    if (!context.merge(dots).equals(context)) throw new IllegalArgumentException("store holds dots outside its context");
  }

  public static Causal bottom(Shape shape) {
    return new Causal(shape.bottom(), CausalContext.EMPTY);
  }

  public Causal join(Causal o) {
    return new Causal(store.join(o.store, context, o.context), context.merge(o.context));
  }

  static CausalContext dotsOf(DotStore s) {
    CausalContext.Builder b = new CausalContext.Builder();
    s.collectDots(b);
    return b.build();
  }

  /** Delta writing {@code value} to a multi-value register (store of shape fun): overwrites every value seen. */
  public static Causal write(Causal register, String replica, Bytes value) {
    Dot d = new Dot(replica, register.context.next(replica));
    TreeMap<Dot, Bytes> m = new TreeMap<>();
    m.put(d, value);
    return new Causal(new DotStore.DotFun(m), dotsOf(register.store).with(d));
  }

  /** Delta clearing a store: its current dots become seen-and-removed. */
  public static Causal clear(Causal c) {
    return new Causal(c.store.shape().bottom(), dotsOf(c.store));
  }

  /** Delta marking an OR-set element (store of shape set) present, add-wins over concurrent removes. */
  public static Causal add(Causal element, String replica) {
    Dot d = new Dot(replica, element.context.next(replica));
    java.util.TreeSet<Dot> s = new java.util.TreeSet<>();
    s.add(d);
    return new Causal(new DotStore.DotSet(s), dotsOf(element.store).with(d));
  }

  /**
   * Delta applying {@code op} to entry {@code key} of a map: {@code op} sees the entry with the
   * map's context and returns the entry's delta, which is wrapped back into a map delta.
   */
  public static Causal inKey(Causal map, String key, UnaryOperator<Causal> op) {
    DotStore.DotMap m = (DotStore.DotMap) map.store;
    Causal entryDelta = op.apply(new Causal(m.get(key), map.context));
    TreeMap<String, DotStore> e = new TreeMap<>();
    if (!entryDelta.store.isBottom()) e.put(key, entryDelta.store);
    return new Causal(new DotStore.DotMap(m.valueShape(), e), entryDelta.context);
  }

  /** Delta removing entry {@code key} of a map (observed-remove: concurrent writes to it survive). */
  public static Causal removeKey(Causal map, String key) {
    return inKey(map, key, Causal::clear);
  }

  /** The entry {@code key} of a map state, with the map's context (for reading nested values). */
  public Causal entry(String key) {
    return new Causal(((DotStore.DotMap) store).get(key), context);
  }

  public Map<String, DotStore> entries() {
    return ((DotStore.DotMap) store).entries();
  }
}
