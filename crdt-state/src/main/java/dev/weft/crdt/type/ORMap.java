package dev.weft.crdt.type;

import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * An observed-remove map from strings to causal CRDTs of one {@link Shape} (multi-value registers,
 * OR-set elements, or further maps: maps nest). All entries share the map's causal context; an
 * update concurrent with a remove of its key survives (add-wins).
 */
public record ORMap(Causal causal) implements CausalCrdt {
  public ORMap {
    if (!(causal.store() instanceof DotStore.DotMap)) throw new IllegalArgumentException("an OR-map holds a dot map");
  }

  public static ORMap empty(Shape values) {
    return new ORMap(Causal.bottom(Shape.map(values)));
  }

  public Shape valueShape() {
    return ((DotStore.DotMap) causal.store()).valueShape();
  }

  /** Applies {@code op} (one of {@link Causal}'s delta mutators) to entry {@code key}. */
  public Mutation<ORMap> update(String key, UnaryOperator<Causal> op) {
    ORMap delta = new ORMap(Causal.inKey(causal, key, op));
    return new Mutation<>(merge(delta), delta);
  }

  /** Writes a register entry (maps of shape fun). */
  public Mutation<ORMap> put(String replica, String key, Bytes value) {
    return update(key, e -> Causal.write(e, replica, value));
  }

  public Mutation<ORMap> remove(String key) {
    ORMap delta = new ORMap(Causal.removeKey(causal, key));
    return new Mutation<>(merge(delta), delta);
  }

  /** Entry {@code key} with the map's context, for reading nested values (or mutating them with {@link #update}). */
  public Causal get(String key) {
    return causal.entry(key);
  }

  public NavigableSet<String> keys() {
    return new TreeSet<>(causal.entries().keySet());
  }

  @Override public CrdtType type() {
    return CrdtType.orMap(valueShape());
  }

  @Override public ORMap merge(Crdt other) {
    return new ORMap(causal.join(sameType(other, ORMap.class).causal));
  }
}
