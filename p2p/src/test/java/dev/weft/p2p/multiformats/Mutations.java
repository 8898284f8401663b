package dev.weft.p2p.multiformats;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded byte-level mutations for decoder robustness properties (test helper). */
public final class Mutations {
  private Mutations() {}

  /** One to three edits: bit flip, truncation, insertion, a boundary byte, or duplication. */
  public static byte[] mutate(byte[] in, SplittableRandom r) {
    byte[] b = in;
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits; e++) {
      switch (r.nextInt(5)) {
        case 0 -> {
          if (b.length > 0) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        case 1 -> b = Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
        case 2 -> {
          int at = r.nextInt(b.length + 1);
          byte[] out = new byte[b.length + 1];
          System.arraycopy(b, 0, out, 0, at);
          out[at] = (byte) r.nextInt(256);
          System.arraycopy(b, at, out, at + 1, b.length - at);
          b = out;
        }
        case 3 -> {
          if (b.length > 0) b[r.nextInt(b.length)] = (byte) new int[] {0x00, 0x7f, 0x80, 0xff, '/', '%'}[r.nextInt(6)];
        }
        default -> {
          byte[] out = Arrays.copyOf(b, b.length * 2);
          System.arraycopy(b, 0, out, b.length, b.length);
          b = out;
        }
      }
    }
    return b;
  }
}
