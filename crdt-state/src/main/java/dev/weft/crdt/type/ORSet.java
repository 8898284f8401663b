package dev.weft.crdt.type;

import java.util.NavigableSet;
import java.util.TreeSet;

/** An add-wins observed-remove set of strings: an add concurrent with a remove of the same element wins. */
public record ORSet(Causal causal) implements CausalCrdt {
  public static final ORSet EMPTY = new ORSet(Causal.bottom(Shape.map(Shape.SET)));

  public ORSet {
    if (!causal.store().shape().equals(Shape.map(Shape.SET))) throw new IllegalArgumentException("an OR-set holds a map of dot sets");
  }

  public Mutation<ORSet> add(String replica, String element) {
    ORSet delta = new ORSet(Causal.inKey(causal, element, e -> Causal.add(e, replica)));
    return new Mutation<>(merge(delta), delta);
  }

  public Mutation<ORSet> remove(String element) {
    ORSet delta = new ORSet(Causal.removeKey(causal, element));
    return new Mutation<>(merge(delta), delta);
  }

  public boolean contains(String element) {
    return causal.entries().containsKey(element);
  }

  public NavigableSet<String> elements() {
    return new TreeSet<>(causal.entries().keySet());
  }

  @Override public CrdtType type() {
    return CrdtType.OR_SET;
  }

  @Override public ORSet merge(Crdt other) {
    return new ORSet(causal.join(sameType(other, ORSet.class).causal));
  }
}
