package dev.weft.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The selection kernel (int keys, pruned network) must give the same bits as the original
 * full-sort float kernel, on inputs built to stress ordering: heavy ties, ±0.0, subnormals, ±
 * extreme magnitudes (whose double sums depend on order).
 */
class OrderStatisticsKernelTest {
  private static final float[] SPECIAL = {
    0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
    0x1p-140f, -0x1p-140f, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 1e30f, -1e30f, 3e-39f
  };

  /** A value: often a special one, often one of few small integers (ties), else random bits. */
  private static float value(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> SPECIAL[r.nextInt(SPECIAL.length)];
      case 1 -> r.nextInt(5) - 2;
      case 2 -> (float) r.nextGaussian();
      default -> {
        float f;
        do f = Float.intBitsToFloat(r.nextInt()); while (!Float.isFinite(f));
        yield f;
      }
    };
  }

  private static float[][] columns(int n, int len, SplittableRandom r) {
    float[][] src = new float[n][len + 3];
    for (float[] row : src) for (int k = 0; k < row.length; k++) row[k] = value(r);
    return src;
  }

  @Test
  void selectionBlockEqualsSortBlockOnRandomShapes() {
    SplittableRandom r = new SplittableRandom(20261125);
    for (int n = 1; n <= 40; n++) {
      for (int b = 0; 2 * b < n; b++) {
        int len = 1 + r.nextInt(OrderStatistics.SUB);
        float[][] src = columns(n, len, r);
        int[] off = new int[n];
        for (int i = 0; i < n; i++) off[i] = r.nextInt(4);
        int delta = 0;
        float[] outSel = new float[len + 1], outSort = new float[len + 1];
        long[] cntSel = new long[n], cntSort = new long[n];
        new OrderStatistics.SelectBlock(n, b)
            .apply(src, off, delta, len, outSel, 1, cntSel);
        new OrderStatistics.SortBlock(n, b).apply(src, off, delta, len, outSort, 1, cntSort);
        assertThat(bits(outSel)).as("n=%d b=%d", n, b).isEqualTo(bits(outSort));
        assertThat(cntSel).as("n=%d b=%d", n, b).isEqualTo(cntSort);
      }
    }
  }

  @Test
  void selectionNetworkPutsTheRequestedRanksInPlace() {
    SplittableRandom r = new SplittableRandom(7);
    for (int n = 1; n <= 40; n++) {
      int lo = r.nextInt(n), hi = lo + r.nextInt(n - lo);
      int[] net = Kernels.selectionNetwork(n, lo, hi);
      assertThat(net.length).isLessThanOrEqualTo(Kernels.sortingNetwork(n).length);
      int[][] keys = new int[n][64];
      for (int[] row : keys) for (int k = 0; k < 64; k++) row[k] = r.nextInt(7) - 3;
      int[][] expected = new int[64][n];
      for (int k = 0; k < 64; k++) {
        for (int i = 0; i < n; i++) expected[k][i] = keys[i][k];
        Arrays.sort(expected[k]);
      }
      Kernels.sortColumns(keys, net, 64);
      for (int k = 0; k < 64; k++) for (int i = lo; i <= hi; i++) assertThat(keys[i][k]).isEqualTo(expected[k][i]);
    }
  }

  @Test
  void networkAfterSortedGroupsOfFourPutsTheRequestedRanksInPlace() {
    SplittableRandom r = new SplittableRandom(8);
    for (int n = 4; n <= 40; n += 4) {
      for (int b = 0; 2 * b < n; b++) {
        int[] net = Kernels.selectionNetworkAfterSorted4(n, b, n - 1 - b);
        int len = 37;
        float[][] src = columns(n, len, r);
        int[][] keys = new int[n][len];
        for (int i = 0; i < n; i += 4) {
          Kernels.toKeysSorted4(src[i], 0, src[i + 1], 0, src[i + 2], 0, src[i + 3], 0,
              keys[i], keys[i + 1], keys[i + 2], keys[i + 3], len);
        }
        Kernels.sortColumns(keys, net, len);
        for (int k = 0; k < len; k++) {
          float[] col = new float[n];
          for (int i = 0; i < n; i++) col[i] = src[i][k];
          Arrays.sort(col); // Arrays.sort orders floats as Float.compare does
          for (int i = b; i < n - b; i++) {
            assertThat(Float.intBitsToFloat(Kernels.key(keys[i][k]))).as("n=%d b=%d", n, b).isEqualTo(col[i]);
            assertThat(Kernels.key(keys[i][k])).isEqualTo(Float.floatToRawIntBits(col[i]));
          }
        }
      }
    }
  }

  @Test
  void vectorAndScalarKeyLoopsAgree() {
    SplittableRandom r = new SplittableRandom(9);
    for (int len : new int[] {0, 1, 7, 8, 15, 16, 17, 63, 100, 512}) {
      float[][] src = columns(4, len, r);
      int[] a = new int[len], b = new int[len];
      Kernels.toKeys(src[0], 2, a, len);
      for (int k = 0; k < len; k++) b[k] = Kernels.key(Float.floatToRawIntBits(src[0][2 + k]));
      assertThat(a).isEqualTo(b);
      float[] back = new float[len + 1];
      Kernels.fromKeys(a, back, 1, len);
      for (int k = 0; k < len; k++) assertThat(Float.floatToRawIntBits(back[1 + k])).isEqualTo(Float.floatToRawIntBits(src[0][2 + k]));
      int[][] v = new int[4][len], s = new int[4][len];
      Kernels.toKeysSorted4(src[0], 1, src[1], 2, src[2], 3, src[3], 0, v[0], v[1], v[2], v[3], len);
      Kernels.Scalar.toKeysSorted4(src[0], 1, src[1], 2, src[2], 3, src[3], 0, s[0], s[1], s[2], s[3], 0, len);
      assertThat(v).isEqualTo(s);
      int[][] m = new int[8][len];
      for (int[] row : m) for (int k = 0; k < len; k++) row[k] = r.nextInt(9) - 4;
      int[][] ms = new int[8][];
      for (int i = 0; i < 8; i++) ms[i] = m[i].clone();
      Kernels.merge8(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], len);
      Kernels.Scalar.merge8(ms[0], ms[1], ms[2], ms[3], ms[4], ms[5], ms[6], ms[7], 0, len);
      assertThat(m).isEqualTo(ms);
    }
  }

  @Test
  void selectionNetworkForTheMedianOf16IsSmallerThanTheSort() {
    assertThat(Kernels.sortingNetwork(16).length / 2).isEqualTo(63);
    assertThat(Kernels.selectionNetwork(16, 7, 8).length / 2).isLessThan(63);
  }

  @Test
  void keysOrderFloatsLikeFloatCompare() {
    SplittableRandom r = new SplittableRandom(3);
    for (int t = 0; t < 100_000; t++) {
      float x = value(r), y = value(r);
      int kx = Kernels.key(Float.floatToRawIntBits(x)), ky = Kernels.key(Float.floatToRawIntBits(y));
      assertThat(Integer.signum(Integer.compare(kx, ky))).isEqualTo(Integer.signum(Float.compare(x, y)));
      assertThat(Kernels.key(kx)).isEqualTo(Float.floatToRawIntBits(x));
    }
  }

  @Test
  void rulesGiveTheSameBitsAndReportsWithEitherKernel() {
    SplittableRandom r = new SplittableRandom(11);
    int d = 2 * ChunkRunner.CHUNK + 777; // crosses chunks and sub-blocks, with a ragged end
    for (int n : new int[] {3, 8, 16, 17}) {
      List<AggregationInput> inputs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        float[] v = new float[d];
        for (int k = 0; k < d; k++) v[k] = value(r);
        inputs.add(AggregationInput.of(String.format("p%02d", i), v));
      }
      for (Aggregator rule : List.of(new CoordinateMedian(), new TrimmedMean(0.25), new TrimmedMean(0.1))) {
        Aggregator reference = Aggregators.withReferenceSortKernel(rule);
        for (int threads : new int[] {1, 3}) {
          try (ChunkRunner pool = ChunkRunner.withThreads(threads)) {
            AggregationResult got = rule.aggregate(inputs, pool);
            AggregationResult want = reference.aggregate(inputs, pool);
            assertThat(bits(got.aggregate())).as("%s n=%d", rule.name(), n).isEqualTo(bits(want.aggregate()));
            assertThat(got.reports()).isEqualTo(want.reports());
          }
        }
      }
    }
  }

  @Test
  void nonFiniteInputsAreRejectedAsWithTheReferenceKernel() {
    SplittableRandom r = new SplittableRandom(12);
    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001)};
    int d = ChunkRunner.CHUNK + 300;
    for (int n : new int[] {4, 8, 12, 16, 24, 5}) {
      for (int trial = 0; trial < 6; trial++) {
        List<AggregationInput> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          float[] v = new float[d];
          for (int k = 0; k < d; k++) v[k] = value(r);
          inputs.add(AggregationInput.of(String.format("p%02d", i), v));
        }
        int victims = 1 + r.nextInt(Math.max(1, (n - 1) / 2));
        for (int j = 0; j < victims; j++) inputs.get(r.nextInt(n)).values()[r.nextInt(d)] = bad[r.nextInt(bad.length)];
        for (Aggregator rule : List.of(new CoordinateMedian(), new TrimmedMean(0.25))) {
          try (ChunkRunner pool = ChunkRunner.withThreads(2)) {
            AggregationResult got = rule.aggregate(inputs, pool);
            AggregationResult want = Aggregators.withReferenceSortKernel(rule).aggregate(inputs, pool);
            assertThat(got.reports()).as("%s n=%d", rule.name(), n).isEqualTo(want.reports());
            assertThat(got.keysWith(Verdict.REJECTED)).isNotEmpty();
            assertThat(got.failure()).isEqualTo(want.failure());
            if (want.succeeded()) assertThat(bits(got.aggregate())).isEqualTo(bits(want.aggregate()));
          }
        }
      }
    }
  }

  @Test
  void blockReportsNonFiniteValuesWhenItScreensItself() {
    SplittableRandom r = new SplittableRandom(13);
    for (int n : new int[] {4, 8, 12, 16, 32}) {
      for (int b = 0; 2 * b < n; b++) {
        OrderStatistics.SelectBlock block = new OrderStatistics.SelectBlock(n, b);
        assertThat(block.screensItself()).isTrue();
        int len = 1 + r.nextInt(OrderStatistics.SUB);
        float[][] src = columns(n, len, r);
        int[] off = new int[n];
        assertThat(block.apply(src, off, 0, len, new float[len], 0, new long[n])).isFalse();
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -Float.NaN};
        src[r.nextInt(n)][r.nextInt(len)] = bad[r.nextInt(bad.length)];
        assertThat(block.apply(src, off, 0, len, new float[len], 0, new long[n])).as("n=%d b=%d", n, b).isTrue();
      }
    }
  }

  private static int[] bits(float[] a) {
    int[] out = new int[a.length];
    for (int i = 0; i < a.length; i++) out[i] = Float.floatToRawIntBits(a[i]);
    return out;
  }
}
