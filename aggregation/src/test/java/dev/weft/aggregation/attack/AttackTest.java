package dev.weft.aggregation.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.aggregation.round.Contribution;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each attack against what it is defined to send, on three honest vectors. */
class AttackTest {
  private static final List<float[]> HONEST =
      List.of(new float[] {1, 2}, new float[] {3, 2}, new float[] {5, 8});
  private static final float[] PREVIOUS = {0.5f, -0.5f};

  private static List<float[]> craft(Attack a, int f) {
    return a.craft(new AttackContext(HONEST, f, PREVIOUS, 9));
  }

  @Test
  void signFlipAndScalingUseObservedHonestVectors() {
    List<float[]> flipped = craft(new Attack.SignFlip(1), 4);
    assertThat(flipped).hasSize(4);
    assertThat(flipped.get(0)).containsExactly(-1, -2);
    assertThat(flipped.get(3)).containsExactly(-1, -2); // wraps around the honest list
    assertThat(craft(new Attack.Scaling(-100), 1).get(0)).containsExactly(-100, -200);
  }

  @Test
  void alieShiftsTheMeanByZStandardDeviations() {
    // mean (3, 4); population std (sqrt(8/3), sqrt(8))
    List<float[]> v = craft(new Attack.Alie(1.0), 2);
    assertThat(v.get(0)[0]).isCloseTo((float) (3 - Math.sqrt(8.0 / 3)), within(1e-6f));
    assertThat(v.get(1)[1]).isCloseTo((float) (4 - Math.sqrt(8)), within(1e-6f));
    // Baruch et al.: n = 16, f = 4 -> s = 5, z = Phi^-1(11/16) ~ 0.4888
    assertThat(Attack.Alie.zMax(16, 4)).isCloseTo(0.48878, within(1e-4));
    assertThat(NormalQuantile.of(0.975)).isCloseTo(1.959964, within(1e-6));
    assertThat(NormalQuantile.of(0.01)).isCloseTo(-2.326348, within(1e-6));
  }

  @Test
  void ipmSendsMinusEpsilonTimesTheMean() {
    assertThat(craft(new Attack.Ipm(0.5), 1).get(0)).containsExactly(-1.5f, -2f);
  }

  @Test
  void freeRidersSendZeroOrTheStaleAggregate() {
    assertThat(craft(new Attack.FreeRider(false), 2).get(1)).containsExactly(0, 0);
    assertThat(craft(new Attack.FreeRider(true), 2).get(0)).containsExactly(PREVIOUS);
    // with no previous round a stale free-rider has nothing to resend but zeros
    assertThat(new Attack.FreeRider(true).craft(new AttackContext(HONEST, 1, null, 1)).get(0))
        .containsExactly(0, 0);
  }

  @Test
  void mimicCopiesOneHonestWorkerAlways() {
    assertThat(craft(new Attack.Mimic(2), 3)).allSatisfy(v -> assertThat(v).containsExactly(5, 8));
  }

  @Test
  void noiseIsSeededAndScaledByTheHonestSpread() {
    List<float[]> a = craft(new Attack.GaussianNoise(10), 2);
    assertThat(craft(new Attack.GaussianNoise(10), 2).get(1)).isEqualTo(a.get(1));
    assertThat(a.get(0)).isNotEqualTo(a.get(1));
    List<float[]> quiet = new Attack.GaussianNoise(10)
        .craft(new AttackContext(List.of(new float[] {1, 1}, new float[] {1, 1}), 1, null, 9));
    // no honest spread: sigma falls to its 1e-12 floor
    for (float v : quiet.get(0)) assertThat(Math.abs(v)).isLessThan(1e-9f);
  }

  @Test
  void craftedVectorsAreFreshArrays() {
    List<float[]> v = craft(new Attack.Mimic(0), 2);
    v.get(0)[0] = 99;
    assertThat(HONEST.get(0)[0]).isEqualTo(1f);
    assertThat(v.get(1)[0]).isEqualTo(1f);
  }

  @Test
  void ownDataAttacksStartFromTheAttackersOwnPseudoGradients() {
    List<float[]> own = List.of(new float[] {10, 20}, new float[] {-1, 4});
    AttackContext ctx = new AttackContext(HONEST, own, 2, PREVIOUS, 9, null);
    assertThat(new Attack.SignFlip(1).craft(ctx).get(1)).containsExactly(1, -4);
    assertThat(new Attack.Scaling(-10).craft(ctx).get(0)).containsExactly(-100, -200);
    assertThat(new Attack.Scaling(100).craft(ctx).get(1)).containsExactly(-100, 400);
  }

  @Test
  void mimicTopCopiesTheWorkerFurthestAlongTheTopDirection() {
    // spread along the first axis; the worker at -7 is the extreme one (mean -1.2)
    List<float[]> h = List.of(new float[] {0, 1}, new float[] {1, 1.1f}, new float[] {-7, 1}, new float[] {2, 0.9f}, new float[] {-2, 1});
    List<float[]> v = new Attack.MimicTop().craft(new AttackContext(h, 3, null, 4));
    assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).containsExactly(-7, 1));
  }

  @Test
  void clipAdaptiveSitsJustInsideTheRadiusAgainstTheHonestMean() {
    var rule = Aggregators.parse("centered-clip-prev");
    float[] prev = {1, 1};
    List<float[]> h = List.of(new float[] {1, 3}, new float[] {3, 1}, new float[] {2, 2}, new float[] {1, 1.5f});
    AttackContext ctx = new AttackContext(h, List.of(), 2, prev, 1, rule);
    float[] v = new Attack.ClipAdaptive(0.9).craft(ctx).get(0);
    // distances of the honest inputs to prev: 2, 2, 1.414, 0.5; n = 6, f = 2: the lower median of
    // all six is honest order statistic (6-1)/2 - 2 = 0 -> 0.5
    double tau = 0.5;
    double[] mu = ctx.honestMean();
    double norm = Math.hypot(mu[0], mu[1]);
    assertThat(v[0]).isCloseTo((float) (1 - 0.9 * tau * mu[0] / norm), within(1e-6f));
    assertThat(v[1]).isCloseTo((float) (1 - 0.9 * tau * mu[1] / norm), within(1e-6f));
  }

  @Test
  void int8ScaleWritesAValidEncodingThatDecodesHuge() throws Exception {
    float[][] hs = new float[3][600];
    for (int i = 0; i < 3; i++) for (int k = 0; k < 600; k++) hs[i][k] = (k % 2 == 0 ? 1 : -1) * 0.01f * (i + 1);
    AttackContext ctx = new AttackContext(List.of(hs), 2, null, 1);
    var codec = Codecs.parse("int8");
    List<Contribution> c = new Attack.Int8Scale(1e4).contributions(ctx, codec, List.of("z1", "z2"));
    byte[] b = ((Contribution.Encoded) c.get(0)).bytes();
    assertThat(b.length).isEqualTo(codec.encode(hs[0]).length);
    float[] x = codec.decode(b, 600);
    assertThat(x[0]).isCloseTo(-1e4f, within(1f));
    assertThat(x[1]).isCloseTo(1e4f, within(1f));
    // without the codec it sends the same values dense
    assertThat(((Contribution.Dense) new Attack.Int8Scale(1e4).contributions(ctx, null, List.of("a", "b")).get(1)).values()[0]).isEqualTo(-1e4f);
  }

  @Test
  void topKIndicesPutsTheSameKCoordinatesAgainstTheLargestHonestOnes() throws Exception {
    int d = 100;
    float[][] hs = new float[2][d];
    for (int i = 0; i < 2; i++) for (int k = 0; k < d; k++) hs[i][k] = k * 0.001f * (i + 1);
    AttackContext ctx = new AttackContext(List.of(hs), 2, null, 1);
    var codec = Codecs.parse("topk:0.05");
    List<Contribution> c = new Attack.TopKIndices(0.05, 10).contributions(ctx, codec, List.of("z1", "z2"));
    float[] x = codec.decode(((Contribution.Encoded) c.get(1)).bytes(), d);
    for (int k = 0; k < d; k++) {
      if (k >= 95) assertThat(x[k]).isCloseTo(-10 * 0.198f, within(1e-5f));
      else assertThat(x[k]).isZero();
    }
  }
}
