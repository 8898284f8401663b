package dev.weft.crdt.type;

import java.util.Objects;

/**
 * What kind of CRDT a key holds, as declared by the schema: the kind, and for OR-maps the shape of
 * their values. A delta of another type for that key is rejected.
 */
public record CrdtType(Kind kind, Shape mapValues) {
  /** The CRDT kinds, with their tag in the encoding. */
  public enum Kind {
    G_COUNTER(1), PN_COUNTER(2), LWW_REGISTER(3), MV_REGISTER(4), OR_SET(5), OR_MAP(6);

    public final int tag;

    Kind(int tag) {
      this.tag = tag;
    }

    static Kind ofTag(int tag) {
      for (Kind k : values()) if (k.tag == tag) return k;
      return null;
    }
  }

  public static final CrdtType G_COUNTER = new CrdtType(Kind.G_COUNTER, null);
  public static final CrdtType PN_COUNTER = new CrdtType(Kind.PN_COUNTER, null);
  public static final CrdtType LWW_REGISTER = new CrdtType(Kind.LWW_REGISTER, null);
  public static final CrdtType MV_REGISTER = new CrdtType(Kind.MV_REGISTER, null);
  public static final CrdtType OR_SET = new CrdtType(Kind.OR_SET, null);

  public CrdtType {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.OR_MAP) != (mapValues != null)) throw new IllegalArgumentException("only OR-maps (and all of them) declare a value shape");
  }

  public static CrdtType orMap(Shape values) {
    return new CrdtType(Kind.OR_MAP, values);
  }

  /** The empty value of this type. */
  public Crdt bottom() {
    return switch (kind) {
      case G_COUNTER -> GCounter.EMPTY;
      case PN_COUNTER -> PNCounter.EMPTY;
      case LWW_REGISTER -> LwwRegister.EMPTY;
      case MV_REGISTER -> MVRegister.EMPTY;
      case OR_SET -> ORSet.EMPTY;
      case OR_MAP -> ORMap.empty(mapValues);
    };
  }

  @Override public String toString() {
    return kind == Kind.OR_MAP ? "or-map<" + mapValues + ">" : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
