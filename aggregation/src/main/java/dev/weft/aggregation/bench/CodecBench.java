package dev.weft.aggregation.bench;

import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.aggregation.codec.MalformedUpdateException;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Encode and decode speed of each codec on one N(0,1) vector of d floats, one thread, best of 7,
 * in GB/s of float32 input. Usage: {@code CodecBench D SPEC[,SPEC...]}, e.g. {@code CodecBench
 * 10000000 int8,topk:0.01,topk-int8:0.01,bf16}; add {@code -Dweft.codec.scalar=true} for the
 * scalar loops.
 */
public final class CodecBench {
  private CodecBench() {}

  public static void main(String[] a) throws MalformedUpdateException {
    if (a.length != 2) {
      System.out.println("usage: CodecBench D SPEC[,SPEC...]");
      return;
    }
    int d = Integer.parseInt(a[0]);
    float[] x = new float[d];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < d; i++) x[i] = (float) r.nextGaussian();
    for (String spec : a[1].split(",")) {
      Codec c = Codecs.parse(spec);
      for (int i = 0; i < 3; i++) c.decode(c.encode(Arrays.copyOf(x, 1 << 16)), 1 << 16); // JIT warm-up
      double enc = Double.MAX_VALUE, dec = Double.MAX_VALUE;
      byte[] e = null;
      for (int rep = 0; rep < 7; rep++) {
        long t0 = System.nanoTime();
        e = c.encode(x);
        long t1 = System.nanoTime();
        c.decode(e, d);
        long t2 = System.nanoTime();
        enc = Math.min(enc, (t1 - t0) / 1e9);
        dec = Math.min(dec, (t2 - t1) / 1e9);
      }
      System.out.printf(Locale.ROOT, "%s encode %.2f GB/s decode %.2f GB/s (%d bytes)%n", spec, 4.0 * d / 1e9 / enc, 4.0 * d / 1e9 / dec, e.length);
    }
  }
}
