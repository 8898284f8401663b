package dev.weft.node.round.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class StateRootTest {
  static float[] ramp(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = i * 0.001f;
    return v;
  }

  @Test
  void equalStatesHaveEqualRootsAndEveryPartCounts() {
    int n = 3 * StateRoot.CHUNK_FLOATS + 17;
    ModelState s = new ModelState(ramp(n), ramp(n), 5, 100);
    assertEquals(s.root(), new ModelState(ramp(n), ramp(n), 5, 100).root());
    assertNotEquals(s.root(), s.withOneUlpError().root(), "one ulp of θ");
    float[] m = ramp(n);
    m[n - 1] = Math.nextUp(m[n - 1]);
    assertNotEquals(s.root(), new ModelState(ramp(n), m, 5, 100).root(), "momentum");
    assertNotEquals(s.root(), new ModelState(ramp(n), ramp(n), 6, 100).root(), "rounds");
    assertNotEquals(s.root(), new ModelState(ramp(n), ramp(n), 5, 101).root(), "tokens");
    assertNotEquals(s.root(), new ModelState(m, ramp(n), 5, 100).root(), "θ and momentum are not interchangeable");
  }

  @Test
  void swappingTwoChunksChangesTheRoot() {
    int c = StateRoot.CHUNK_FLOATS;
    float[] a = ramp(2 * c), b = new float[2 * c];
    System.arraycopy(a, c, b, 0, c);
    System.arraycopy(a, 0, b, c, c);
    assertNotEquals(new ModelState(a, new float[2 * c], 0, 0).root(), new ModelState(b, new float[2 * c], 0, 0).root());
  }
}
