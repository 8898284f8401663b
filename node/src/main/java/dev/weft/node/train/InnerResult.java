package dev.weft.node.train;

/** The parameters after a run of inner steps and what the run did. The array is the caller's to keep. */
public record InnerResult(float[] parameters, TrainMetrics metrics) {}
