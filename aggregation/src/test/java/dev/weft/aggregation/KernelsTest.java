package dev.weft.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelsTest {
  @Test
  void sortingNetworkSortsEveryZeroOneInputUpTo14() {
    // The 0-1 principle: a comparator network that sorts all 0/1 sequences sorts everything.
    for (int n = 1; n <= 14; n++) {
      int[] net = Kernels.sortingNetwork(n);
      for (int mask = 0; mask < (1 << n); mask++) {
        float[][] rows = new float[n][1];
        for (int i = 0; i < n; i++) rows[i][0] = (mask >> i) & 1;
        Kernels.sortColumns(rows, net, 1);
        for (int i = 1; i < n; i++) assertThat(rows[i][0]).isGreaterThanOrEqualTo(rows[i - 1][0]);
      }
    }
  }

  @Test
  void sortingNetworkSortsRandomColumnsUpTo40() {
    SplittableRandom r = new SplittableRandom(1);
    for (int n = 15; n <= 40; n++) {
      int[] net = Kernels.sortingNetwork(n);
      float[][] rows = new float[n][64];
      for (float[] row : rows) for (int k = 0; k < 64; k++) row[k] = (float) r.nextGaussian();
      float[][] expected = new float[64][n];
      for (int k = 0; k < 64; k++) {
        for (int i = 0; i < n; i++) expected[k][i] = rows[i][k];
        Arrays.sort(expected[k]);
      }
      Kernels.sortColumns(rows, net, 64);
      for (int k = 0; k < 64; k++) for (int i = 0; i < n; i++) assertThat(rows[i][k]).isEqualTo(expected[k][i]);
    }
  }

  @Test
  void finitenessCheckFindsNaNAndInfinityAnywhere() {
    float[] a = new float[1000];
    assertThat(Kernels.allFinite(a, 0, 1000)).isTrue();
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      for (int at : new int[] {0, 500, 999}) {
        float[] b = a.clone();
        b[at] = bad;
        assertThat(Kernels.allFinite(b, 0, 1000)).isFalse();
        assertThat(Kernels.allFinite(b, at == 0 ? 1 : 0, at == 0 ? 999 : at)).isTrue();
      }
    }
    a[3] = Float.MAX_VALUE;
    a[4] = -Float.MIN_VALUE;
    assertThat(Kernels.allFinite(a, 0, 1000)).isTrue();
  }
}
