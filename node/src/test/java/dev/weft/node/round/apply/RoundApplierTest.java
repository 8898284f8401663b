package dev.weft.node.round.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.aggregation.Aggregators;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.train.diloco.OuterConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundApplierTest {
  final RoundApplier applier = new RoundApplier(Aggregators.defaultRule(), OuterConfig.diloco(), 3);

  static List<SealedInput> inputs(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<SealedInput> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[d];
      for (int k = 0; k < d; k++) v[k] = (float) r.nextGaussian();
      out.add(SealedInput.ok(new PeerKey(Digest.of(new byte[] {(byte) i}).bytes()), v, 100 + i));
    }
    return out;
  }

  @Test
  void resultDoesNotDependOnArrivalOrder() {
    ModelState base = ModelState.initial(new float[1000]);
    List<SealedInput> in = inputs(9, 1000, 1);
    Applied a = applier.apply(base, in);
    List<SealedInput> shuffled = new ArrayList<>(in);
    Collections.shuffle(shuffled, new java.util.Random(3));
    Applied b = applier.apply(base, shuffled);
    assertArrayEquals(a.state().theta(), b.state().theta());
    assertEquals(a.state().root(), b.state().root());
    assertFalse(a.isNull());
    assertEquals(1, a.state().rounds());
    assertEquals(9 * 100 + 36, a.state().tokens());
  }

  @Test
  void tooFewContributionsGiveANullRound() {
    ModelState base = ModelState.initial(new float[10]);
    Applied a = applier.apply(base, inputs(2, 10, 2));
    assertTrue(a.isNull());
    assertArrayEquals(base.theta(), a.state().theta());
    assertEquals(1, a.state().rounds(), "a null round still counts");
  }

  @Test
  void malformedBlobsAreExcludedAndNamed() {
    List<SealedInput> in = new ArrayList<>(inputs(3, 10, 3));
    PeerKey bad = new PeerKey(Digest.of(new byte[] {99}).bytes());
    in.add(SealedInput.malformed(bad, "truncated"));
    Applied a = applier.apply(ModelState.initial(new float[10]), in);
    assertFalse(a.isNull());
    assertEquals(List.of(bad.hex()), a.malformed());
    in.remove(0);
    assertTrue(applier.apply(ModelState.initial(new float[10]), in).isNull(), "two usable of three needed");
  }

  @Test
  void minimumBelowTheRulesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RoundApplier(Aggregators.parse("krum:2"), OuterConfig.diloco(), 1));
  }
}
