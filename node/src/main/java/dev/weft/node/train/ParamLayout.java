package dev.weft.node.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one flat float32 parameter vector is cut into named tensors: entries in order, each with a
 * shape and an offset; entry {@code i+1} starts where entry {@code i} ends, so the vector has no
 * gaps and its length is {@link #size()}.
 *
 * <p>Names are {@code [A-Za-z0-9_]+}: LibTorch rejects '.' in parameter names (ML-NOTES), and the
 * checkpoint header stores them as JSON keys. Immutable and thread-safe.
 */
public record ParamLayout(List<Entry> entries) {
  /** Longest name accepted; names travel in checkpoint headers. */
  public static final int MAX_NAME_LENGTH = 128;
  /** Most entries accepted; a GPT-2-small layout has 150. */
  public static final int MAX_ENTRIES = 4096;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1," + MAX_NAME_LENGTH + "}");

  /** One named tensor: {@code shape} dims are positive; {@code decay} says whether AdamW decays it. */
  public record Entry(String name, long[] shape, long offset, boolean decay) {
    public Entry {
      shape = shape.clone();
      if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("bad parameter name: '" + name + "'");
      if (shape.length == 0 || shape.length > 8) throw new IllegalArgumentException(name + ": rank must be 1..8");
      for (long d : shape) if (d <= 0) throw new IllegalArgumentException(name + ": non-positive dimension " + d);
      if (offset < 0) throw new IllegalArgumentException(name + ": negative offset");
    }

    @Override public long[] shape() {
      return shape.clone();
    }

    public long numel() {
      long n = 1;
      for (long d : shape) n = Math.multiplyExact(n, d);
      return n;
    }

    public long end() {
      return offset + numel();
    }

    @Override public boolean equals(Object o) {
      return o instanceof Entry e && e.name.equals(name) && Arrays.equals(e.shape, shape) && e.offset == offset && e.decay == decay;
    }

    @Override public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(shape) + Long.hashCode(offset);
    }

    @Override public String toString() {
      return name + Arrays.toString(shape) + "@" + offset;
    }
  }

  public ParamLayout {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) throw new IllegalArgumentException("empty layout");
    if (entries.size() > MAX_ENTRIES) throw new IllegalArgumentException("too many entries: " + entries.size());
    Set<String> seen = new HashSet<>();
    long expected = 0;
    for (Entry e : entries) {
      if (!seen.add(e.name())) throw new IllegalArgumentException("duplicate parameter name: " + e.name());
      if (e.offset() != expected) throw new IllegalArgumentException(e.name() + ": offset " + e.offset() + ", expected " + expected);
      expected = e.end();
    }
    if (expected > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("layout larger than a Java array: " + expected);
  }

  /** Number of floats in the flat vector. */
  public int size() {
    return (int) entries.get(entries.size() - 1).end();
  }

  /** The entry called {@code name}, or an exception naming it. */
  public Entry entry(String name) {
    for (Entry e : entries) if (e.name().equals(name)) return e;
    throw new IllegalArgumentException("no parameter named " + name);
  }

  /** Builds a layout by appending entries in order. Not thread-safe. */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();
    private long offset;

    public Builder add(String name, boolean decay, long... shape) {
      Entry e = new Entry(name, shape, offset, decay);
      entries.add(e);
      offset = e.end();
      return this;
    }

    public ParamLayout build() {
      return new ParamLayout(entries);
    }
  }

  public static Builder builder() {
    return new Builder();
  }
}
