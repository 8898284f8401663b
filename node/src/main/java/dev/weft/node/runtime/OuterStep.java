package dev.weft.node.runtime;

import dev.weft.aggregation.ChunkRunner;
import dev.weft.aggregation.round.Nesterov;
import dev.weft.node.train.diloco.OuterConfig;

/**
 * The runtime's outer optimizer state (momentum and rounds applied) around the one shared outer
 * step, {@link Nesterov} of the aggregation module — the same arithmetic `train local` and the
 * round protocol's applier use, so every peer's θ agrees bit for bit. Not thread-safe.
 */
final class OuterStep {
  private final Nesterov step;
  private float[] momentum;
  private long rounds;

  OuterStep(OuterConfig config, int size) {
    this(config, new float[size], 0);
  }

  OuterStep(OuterConfig config, float[] momentum, long rounds) {
    if (rounds < 0) throw new IllegalArgumentException("negative round count");
    for (int i = 0; i < momentum.length; i++) {
      if (!Float.isFinite(momentum[i])) throw new IllegalArgumentException("non-finite momentum at " + i);
    }
    this.step = new Nesterov(config.lr(), config.momentum(), config.nesterov());
    this.momentum = momentum.clone();
    this.rounds = rounds;
  }

  /** The new θ; {@code theta} and {@code delta} are not modified. */
  float[] apply(float[] theta, float[] delta) {
    float[] out = new float[theta.length];
    float[] m = new float[theta.length];
    boolean finite;
    try (ChunkRunner serial = ChunkRunner.serial()) {
      finite = step.step(theta, delta, momentum, out, m, serial);
    }
    if (!finite) throw new IllegalStateException("outer step produced a non-finite parameter");
    momentum = m;
    rounds++;
    return out;
  }

  float[] momentum() {
    return momentum.clone();
  }

  long rounds() {
    return rounds;
  }
}
