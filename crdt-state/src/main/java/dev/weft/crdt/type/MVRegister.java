package dev.weft.crdt.type;

import java.util.List;
import java.util.Map;

/**
 * A multi-value register: a write replaces every value it has seen; concurrent writes are all
 * kept until one write sees them all.
 */
public record MVRegister(Causal causal) implements CausalCrdt {
  public static final MVRegister EMPTY = new MVRegister(Causal.bottom(Shape.FUN));

  public MVRegister {
    if (!causal.store().shape().equals(Shape.FUN)) throw new IllegalArgumentException("an MV-register holds a dot function");
  }

  public Mutation<MVRegister> write(String replica, Bytes value) {
    MVRegister delta = new MVRegister(Causal.write(causal, replica, value));
    return new Mutation<>(merge(delta), delta);
  }

  /** The concurrent values, in dot order. */
  public List<Bytes> values() {
    return List.copyOf(((DotStore.DotFun) causal.store()).values().values());
  }

  public Map<Dot, Bytes> byDot() {
    return ((DotStore.DotFun) causal.store()).values();
  }

  @Override public CrdtType type() {
    return CrdtType.MV_REGISTER;
  }

  @Override public MVRegister merge(Crdt other) {
    return new MVRegister(causal.join(sameType(other, MVRegister.class).causal));
  }
}
