package dev.weft.node.round.apply;

import dev.weft.node.round.msg.Digest;
import java.util.Objects;

/**
 * What the round protocol certifies: θ, the outer momentum, and two counters (rounds applied,
 * tokens aggregated). Never mutated after construction: the arrays are owned by the state.
 */
public final class ModelState {
  private final float[] theta;
  private final float[] momentum;
  private final long rounds;
  private final long tokens;
  private Digest root;

  public ModelState(float[] theta, float[] momentum, long rounds, long tokens) {
    Objects.requireNonNull(theta, "theta");
    Objects.requireNonNull(momentum, "momentum");
    if (theta.length != momentum.length) throw new IllegalArgumentException("theta and momentum differ in length");
    if (rounds < 0 || tokens < 0) throw new IllegalArgumentException("negative counter");
    this.theta = theta;
    this.momentum = momentum;
    this.rounds = rounds;
    this.tokens = tokens;
  }

  public static ModelState initial(float[] theta) {
    return new ModelState(theta.clone(), new float[theta.length], 0, 0);
  }

  /** θ; callers must not write it. */
  public float[] theta() {
    return theta;
  }

  public float[] momentum() {
    return momentum;
  }

  public long rounds() {
    return rounds;
  }

  public long tokens() {
    return tokens;
  }

  public int dimension() {
    return theta.length;
  }

  /** The Merkle root ({@link StateRoot}), computed once. */
  public Digest root() {
    if (root == null) root = StateRoot.of(this);
    return root;
  }

  /** A state that differs in the last bit of θ[0]: the nondeterminism the simulator injects. */
  public ModelState withOneUlpError() {
    float[] t = theta.clone();
    t[0] = Math.nextUp(t[0]);
    return new ModelState(t, momentum, rounds, tokens);
  }

  /** A new state with the rounds counter advanced and nothing else changed: a null round. */
  public ModelState nullRound() {
    return new ModelState(theta, momentum, rounds + 1, tokens);
  }
}
