package dev.weft.node.train;

/**
 * AdamW moments and step count, as flat vectors in the parameter layout. Used to checkpoint a
 * worker and to carry its inner optimizer across rounds. Arrays are owned by the record.
 */
public record OptimizerState(long step, float[] firstMoment, float[] secondMoment) {
  public OptimizerState {
    if (step < 0) throw new IllegalArgumentException("negative step");
    if (firstMoment.length != secondMoment.length) throw new IllegalArgumentException("moment lengths differ");
  }

  public static OptimizerState fresh(int size) {
    return new OptimizerState(0, new float[size], new float[size]);
  }
}
