package dev.weft.node.run;

import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.ModelSpecs;
import dev.weft.node.train.checkpoint.Checkpoint;
import dev.weft.node.train.checkpoint.CheckpointCodec;
import dev.weft.node.train.diloco.OuterConfig;

/**
 * The round-0 checkpoint of a run: the model's seeded initial parameters (computed in Java, so
 * every peer that recomputes it gets the same bits) with zero outer momentum, encoded as a weft
 * checkpoint file. The coordinator seeds it as a blob; its blob id goes in the manifest.
 */
public final class InitialCheckpoint {
  private InitialCheckpoint() {}

  /** The checkpoint file bytes for {@code spec} with {@code seed}, H inner steps per round and the outer optimizer. */
  public static byte[] encode(String spec, long seed, int innerSteps, String outerOptimizer, double outerLr, double momentum) {
    ModelSpec model = ModelSpecs.parse(spec);
    float[] theta = model.initialParameters(seed);
    OuterConfig outer = new OuterConfig(outerLr, momentum, outerOptimizer.equals("nesterov"));
    return CheckpointCodec.encode(new Checkpoint(model, 0, innerSteps, theta, outer, new float[theta.length]));
  }
}
