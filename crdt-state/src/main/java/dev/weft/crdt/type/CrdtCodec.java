package dev.weft.crdt.type;

import dev.weft.crdt.codec.CanonicalReader;
import dev.weft.crdt.codec.CanonicalWriter;
import dev.weft.crdt.codec.DecodeLimits;
import dev.weft.crdt.codec.MalformedEncodingException;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The canonical binary encoding of CRDT values (docs/crdt.md, "Encoding"). Every collection is
 * written in ascending order and the decoder insists on it (and on normalised causal contexts, no
 * empty entries, stores within their context), so a value has exactly one encoding:
 * {@code encode(decode(b))} equals {@code b} for every {@code b} that decodes.
 */
public final class CrdtCodec {
  private CrdtCodec() {}

  public static byte[] encode(Crdt value) {
    CanonicalWriter w = new CanonicalWriter();
    write(w, value);
    return w.toByteArray();
  }

  public static Crdt decode(byte[] bytes, DecodeLimits limits) throws MalformedEncodingException {
    CanonicalReader r = new CanonicalReader(bytes, limits);
    Crdt c = read(r);
    r.expectEnd();
    return c;
  }

  public static void write(CanonicalWriter w, Crdt value) {
    w.u8(value.type().kind().tag);
    switch (value) {
      case GCounter g -> writeCounts(w, g);
      case PNCounter p -> {
        writeCounts(w, p.increments());
        writeCounts(w, p.decrements());
      }
      case LwwRegister l -> {
        if (l.isBottom()) {
          w.u8(0);
        } else {
          w.u8(1).varint(l.stamp().physicalMillis()).varint(l.stamp().logical()).string(l.writer()).blob(l.value().unsafeArray());
        }
      }
      case MVRegister m -> writeCausal(w, m.causal());
      case ORSet s -> writeCausal(w, s.causal());
      case ORMap m -> {
        writeShape(w, m.valueShape());
        writeCausal(w, m.causal());
      }
    }
  }

  public static Crdt read(CanonicalReader r) throws MalformedEncodingException {
    int tag = r.u8();
    CrdtType.Kind kind = CrdtType.Kind.ofTag(tag);
    if (kind == null) throw new MalformedEncodingException("unknown CRDT tag " + tag);
    try {
      return switch (kind) {
        case G_COUNTER -> readCounts(r);
        case PN_COUNTER -> PNCounter.of(readCounts(r), readCounts(r));
        case LWW_REGISTER -> readLww(r);
        case MV_REGISTER -> new MVRegister(readCausal(r, Shape.FUN));
        case OR_SET -> new ORSet(readCausal(r, Shape.map(Shape.SET)));
        case OR_MAP -> {
          Shape values = readShape(r, 1);
          yield new ORMap(readCausal(r, Shape.map(values)));
        }
      };
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new MalformedEncodingException("invalid " + kind + ": " + e.getMessage());
    }
  }

  private static void writeCounts(CanonicalWriter w, GCounter g) {
    w.varint(g.counts().size());
    for (Map.Entry<String, Long> e : g.counts().entrySet()) w.string(e.getKey()).varint(e.getValue());
  }

  private static GCounter readCounts(CanonicalReader r) throws MalformedEncodingException {
    int n = r.entries("counter entries");
    TreeMap<String, Long> m = new TreeMap<>();
    String prev = null;
    for (int i = 0; i < n; i++) {
      String replica = nonEmpty(r.string(), "replica");
      if (prev != null && prev.compareTo(replica) >= 0) throw new MalformedEncodingException("counter entries not in ascending order");
      long v = r.varint();
      if (v == 0) throw new MalformedEncodingException("zero counter entry");
      m.put(replica, v);
      prev = replica;
    }
    return new GCounter(m);
  }

  private static LwwRegister readLww(CanonicalReader r) throws MalformedEncodingException {
    int present = r.u8();
    if (present == 0) return LwwRegister.EMPTY;
    if (present != 1) throw new MalformedEncodingException("register presence byte " + present);
    Hlc stamp = new Hlc(r.varint(), r.varint());
    String writer = nonEmpty(r.string(), "writer");
    return LwwRegister.of(stamp, writer, Bytes.adopt(r.blob()));
  }

  static void writeShape(CanonicalWriter w, Shape s) {
    switch (s) {
      case Shape.DotSetShape x -> w.u8(0);
      case Shape.DotFunShape x -> w.u8(1);
      case Shape.MapShape m -> {
        w.u8(2);
        writeShape(w, m.values());
      }
    }
  }

  static Shape readShape(CanonicalReader r, int depth) throws MalformedEncodingException {
    if (depth > r.limits().maxDepth()) throw new MalformedEncodingException("maps nested deeper than " + r.limits().maxDepth());
    int t = r.u8();
    return switch (t) {
      case 0 -> Shape.SET;
      case 1 -> Shape.FUN;
      case 2 -> Shape.map(readShape(r, depth + 1));
      default -> throw new MalformedEncodingException("unknown shape " + t);
    };
  }

  private static void writeCausal(CanonicalWriter w, Causal c) {
    writeContext(w, c.context());
    writeStore(w, c.store());
  }

  private static Causal readCausal(CanonicalReader r, Shape shape) throws MalformedEncodingException {
    CausalContext ctx = readContext(r);
    DotStore store = readStore(r, shape);
    try {
      return new Causal(store, ctx);
    } catch (IllegalArgumentException e) {
      throw new MalformedEncodingException(e.getMessage());
    }
  }

  public static void writeContext(CanonicalWriter w, CausalContext c) {
    var replicas = c.replicas();
    w.varint(replicas.size());
    for (String rep : replicas) {
      w.string(rep).varint(c.compactOf(rep));
      NavigableSet<Long> cloud = c.cloudOf(rep);
      w.varint(cloud.size());
      for (long d : cloud) w.varint(d);
    }
  }

  public static CausalContext readContext(CanonicalReader r) throws MalformedEncodingException {
    int n = r.entries("context replicas");
    CausalContext.Builder b = new CausalContext.Builder();
    String prev = null;
    for (int i = 0; i < n; i++) {
      String rep = nonEmpty(r.string(), "replica");
      if (prev != null && prev.compareTo(rep) >= 0) throw new MalformedEncodingException("context replicas not in ascending order");
      prev = rep;
      long compact = r.varint();
      int k = r.entries("cloud dots");
      if (compact == 0 && k == 0) throw new MalformedEncodingException("empty context entry");
      b.addCompact(rep, compact);
      long last = compact + 1;
      for (int j = 0; j < k; j++) {
        long d = r.varint();
        if (d <= last) throw new MalformedEncodingException("cloud dot " + d + " not beyond " + last + " (not normalised or not ascending)");
        b.add(new Dot(rep, d));
        last = d;
      }
    }
    return b.build();
  }

  private static void writeDot(CanonicalWriter w, Dot d) {
    w.string(d.replica()).varint(d.counter());
  }

  private static Dot readDot(CanonicalReader r) throws MalformedEncodingException {
    String rep = nonEmpty(r.string(), "replica");
    long c = r.varint();
    if (c == 0) throw new MalformedEncodingException("dot counter 0");
    return new Dot(rep, c);
  }

  private static void writeStore(CanonicalWriter w, DotStore s) {
    switch (s) {
      case DotStore.DotSet set -> {
        w.varint(set.dots().size());
        for (Dot d : set.dots()) writeDot(w, d);
      }
      case DotStore.DotFun fun -> {
        w.varint(fun.values().size());
        for (Map.Entry<Dot, Bytes> e : fun.values().entrySet()) {
          writeDot(w, e.getKey());
          w.blob(e.getValue().unsafeArray());
        }
      }
      case DotStore.DotMap map -> {
        w.varint(map.entries().size());
        for (Map.Entry<String, DotStore> e : map.entries().entrySet()) {
          w.string(e.getKey());
          writeStore(w, e.getValue());
        }
      }
    }
  }

  private static DotStore readStore(CanonicalReader r, Shape shape) throws MalformedEncodingException {
    switch (shape) {
      case Shape.DotSetShape x -> {
        int n = r.entries("dots");
        TreeSet<Dot> dots = new TreeSet<>();
        Dot prev = null;
        for (int i = 0; i < n; i++) {
          Dot d = readDot(r);
          if (prev != null && prev.compareTo(d) >= 0) throw new MalformedEncodingException("dots not in ascending order");
          dots.add(d);
          prev = d;
        }
        return new DotStore.DotSet(dots);
      }
      case Shape.DotFunShape x -> {
        int n = r.entries("register values");
        TreeMap<Dot, Bytes> m = new TreeMap<>();
        Dot prev = null;
        for (int i = 0; i < n; i++) {
          Dot d = readDot(r);
          if (prev != null && prev.compareTo(d) >= 0) throw new MalformedEncodingException("register dots not in ascending order");
          m.put(d, Bytes.adopt(r.blob()));
          prev = d;
        }
        return new DotStore.DotFun(m);
      }
      case Shape.MapShape ms -> {
        int n = r.entries("map entries");
        TreeMap<String, DotStore> m = new TreeMap<>();
        String prev = null;
        for (int i = 0; i < n; i++) {
          String k = r.string();
          if (prev != null && prev.compareTo(k) >= 0) throw new MalformedEncodingException("map keys not in ascending order");
          DotStore v = readStore(r, ms.values());
          if (v.isBottom()) throw new MalformedEncodingException("empty map entry " + k);
          m.put(k, v);
          prev = k;
        }
        return new DotStore.DotMap(ms.values(), m);
      }
    }
  }

  private static String nonEmpty(String s, String what) throws MalformedEncodingException {
    if (s.isEmpty()) throw new MalformedEncodingException("empty " + what);
    return s;
  }
}
