package dev.weft.crdt.type;

import java.util.Comparator;
import java.util.Objects;

/**
 * A last-writer-wins register ordered by hybrid logical clock, ties broken by writer id, then by
 * value (so two writes with one stamp, which only a lying writer produces, still merge the same
 * way everywhere). The empty register has no stamp.
 */
public final class LwwRegister implements Crdt {
  public static final LwwRegister EMPTY = new LwwRegister(null, null, null);
  private static final Comparator<LwwRegister> ORDER = Comparator.comparing((LwwRegister r) -> r.stamp)
      .thenComparing(r -> r.writer).thenComparing(r -> r.value);

  private final Hlc stamp;
  private final String writer;
  private final Bytes value;

  private LwwRegister(Hlc stamp, String writer, Bytes value) {
    this.stamp = stamp;
    this.writer = writer;
    this.value = value;
  }

  public static LwwRegister of(Hlc stamp, String writer, Bytes value) {
    Objects.requireNonNull(stamp, "stamp");
    if (writer == null || writer.isEmpty()) throw new IllegalArgumentException("empty writer");
    return new LwwRegister(stamp, writer, Objects.requireNonNull(value, "value"));
  }

  /** Writes {@code value} at {@code stamp} (from the writer's {@link HybridClock}); the delta is the new register. */
  public Mutation<LwwRegister> write(Hlc stamp, String writer, Bytes value) {
    LwwRegister delta = of(stamp, writer, value);
    return new Mutation<>(merge(delta), delta);
  }

  /** The value, or null when never written. */
  public Bytes value() {
    return value;
  }

  public Hlc stamp() {
    return stamp;
  }

  public String writer() {
    return writer;
  }

  @Override public CrdtType type() {
    return CrdtType.LWW_REGISTER;
  }

  @Override public LwwRegister merge(Crdt other) {
    LwwRegister o = sameType(other, LwwRegister.class);
    if (o.isBottom()) return this;
    if (isBottom()) return o;
    return ORDER.compare(this, o) >= 0 ? this : o;
  }

  @Override public boolean authoredBy(String replica) {
    return isBottom() || writer.equals(replica);
  }

  @Override public boolean isBottom() {
    return stamp == null;
  }

  @Override public boolean equals(Object o) {
    return o instanceof LwwRegister r && Objects.equals(stamp, r.stamp) && Objects.equals(writer, r.writer) && Objects.equals(value, r.value);
  }

  @Override public int hashCode() {
    return Objects.hash(stamp, writer, value);
  }

  @Override public String toString() {
    return isBottom() ? "LWW[]" : "LWW[" + stamp + " " + writer + " " + value + "]";
  }
}
