package dev.weft.node.train.checkpoint;

import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.diloco.OuterConfig;

/**
 * The state a DiLoCo run needs to continue: the model, θ, the outer optimizer (config, momentum
 * buffer) and how far it got. Arrays are owned by the record.
 */
public record Checkpoint(ModelSpec model, long round, long innerStepsPerRound, float[] theta, OuterConfig outer, float[] outerMomentum) {
  public Checkpoint {
    int n = model.layout().size();
    if (theta.length != n || outerMomentum.length != n) throw new IllegalArgumentException("vectors do not match the model layout (" + n + ")");
    if (round < 0 || innerStepsPerRound < 0) throw new IllegalArgumentException("negative counters");
  }
}
