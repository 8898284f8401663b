package dev.weft.p2p.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a fuzz input into chunks the way a network would: sizes drawn from a random source
 * seeded by the input itself, so a replay of the same input splits the same way (deterministic
 * fuzzing, no hidden RNG), and every seed file is exactly the bytes that crossed the wire.
 */
public final class Chunks {
  private Chunks() {}

  /** Chunks of 1..{@code maxChunk} bytes covering {@code data} in order. */
  public static List<byte[]> split(byte[] data, int maxChunk) {
    SplittableRandom r = new SplittableRandom(Arrays.hashCode(data) * 0x9E3779B97F4A7C15L + data.length);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < data.length; ) {
      int n = Math.min(data.length - i, 1 + r.nextInt(maxChunk));
      out.add(Arrays.copyOfRange(data, i, i + n));
      i += n;
    }
    return out;
  }

  /** A deterministic {@code SecureRandom} for handshakes whose replays must be bit-identical. */
  public static java.security.SecureRandom seededSecureRandom(long seed) {
    try {
      java.security.SecureRandom r = java.security.SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed); // before any output: SHA1PRNG is then a pure function of the seed
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
