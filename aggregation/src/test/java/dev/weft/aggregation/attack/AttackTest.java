package dev.weft.aggregation.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
}
