package dev.weft.crdt.type;

/**
 * The kind of a causal CRDT's dot store, recursively: a set of dots (an OR-set element's
 * presence), a dot function (a multi-value register), or a map of keys to stores of one shape (an
 * OR-map, which may nest). Declared by the schema for each key, and written into the encoding so a
 * store decodes without outside knowledge.
 */
public sealed interface Shape {
  Shape SET = new DotSetShape();
  Shape FUN = new DotFunShape();

  static Shape map(Shape values) {
    return new MapShape(values);
  }

  /** The empty store of this shape. */
  DotStore bottom();

  /** Presence of one element. */
  record DotSetShape() implements Shape {
    @Override public DotStore bottom() {
      return DotStore.DotSet.EMPTY;
    }

    @Override public String toString() {
      return "set";
    }
  }

  /** A multi-value register. */
  record DotFunShape() implements Shape {
    @Override public DotStore bottom() {
      return DotStore.DotFun.EMPTY;
    }

    @Override public String toString() {
      return "fun";
    }
  }

  /** Keys mapped to stores of shape {@code values}. */
  record MapShape(Shape values) implements Shape {
    @Override public DotStore bottom() {
      return new DotStore.DotMap(values, new java.util.TreeMap<>());
    }

    @Override public String toString() {
      return "map<" + values + ">";
    }
  }
}
