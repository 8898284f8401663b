package dev.weft.node.round;

import java.util.ArrayList;
import java.util.List;

/**
 * The set a proposal seals: every contribution named in at least f+1 of its Q reports. Among any Q
 * reports at least Q−f ≥ f+1 are from honest voters (n ≥ 3f+1), so a contribution every honest
 * voter held at its cut-off is always sealed whatever reports a leader picks, and anything sealed
 * was named by at least one honest voter.
 */
public final class InclusionRule {
  private InclusionRule() {}

  public static boolean bit(byte[] bitmap, int i) {
    int b = i >>> 3;
    return b < bitmap.length && (bitmap[b] & (1 << (i & 7))) != 0;
  }

  public static void set(byte[] bitmap, int i) {
    bitmap[i >>> 3] |= (byte) (1 << (i & 7));
  }

  /** Contributor indices (ascending) named by at least {@code threshold} of {@code bitmaps}. */
  public static List<Integer> select(List<byte[]> bitmaps, int contributors, int threshold) {
    if (threshold < 1) throw new IllegalArgumentException("threshold must be positive");
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < contributors; i++) {
      int c = 0;
      for (byte[] b : bitmaps) if (bit(b, i)) c++;
      if (c >= threshold) out.add(i);
    }
    return out;
  }

  /** How many of {@code bitmaps} name contributor {@code i}. */
  public static int count(List<byte[]> bitmaps, int i) {
    int c = 0;
    for (byte[] b : bitmaps) if (bit(b, i)) c++;
    return c;
  }
}
