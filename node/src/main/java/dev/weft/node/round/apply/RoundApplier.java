package dev.weft.node.round.apply;

import dev.weft.aggregation.AggregationInput;
import dev.weft.aggregation.AggregationResult;
import dev.weft.aggregation.Aggregator;
import dev.weft.node.train.diloco.OuterConfig;
import dev.weft.aggregation.ChunkRunner;
import dev.weft.aggregation.round.Nesterov;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Step 6 of "One training round": the sealed set, sorted by contributor key, through the robust
 * rule, then the outer Nesterov step. A pure function of (state, inputs, rule, outer config): every
 * honest peer gets the same bits (the aggregator's contract fixes the reduction order; the outer
 * step is element-wise in double rounded once).
 *
 * <p>A round is null — θ and momentum unchanged, the rounds counter advanced — when fewer than
 * {@code minInputs} decodable inputs remain or the rule finds too few finite ones.
 */
public final class RoundApplier {
  private final Aggregator rule;
  private final OuterConfig outer;
  private final int minInputs;

  public RoundApplier(Aggregator rule, OuterConfig outer, int minInputs) {
    this.rule = Objects.requireNonNull(rule, "rule");
    this.outer = Objects.requireNonNull(outer, "outer");
    if (minInputs < Math.max(1, rule.minInputs())) {
      throw new IllegalArgumentException("minInputs " + minInputs + " is below the rule's " + rule.minInputs());
    }
    this.minInputs = minInputs;
  }

  public int minInputs() {
    return minInputs;
  }

  public Applied apply(ModelState base, List<SealedInput> inputs) {
    List<SealedInput> sorted = new ArrayList<>(inputs);
    sorted.sort(Comparator.comparing(SealedInput::contributor));
    List<AggregationInput> usable = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    for (SealedInput in : sorted) {
      if (in.malformed() != null || in.delta() == null || in.delta().length != base.dimension()) {
        malformed.add(in.contributor().hex());
      } else {
        usable.add(new AggregationInput(in.contributor().hex(), in.delta(), in.weight()));
      }
    }
    if (usable.size() < minInputs) {
      return new Applied(base.nullRound(), null,
          usable.size() + " usable contributions, fewer than the " + minInputs + " the aggregator needs", malformed);
    }
    AggregationResult r = rule.aggregate(usable);
    if (!r.succeeded()) return new Applied(base.nullRound(), r, "aggregator: " + r.failure(), malformed);
    // The shared outer step of the aggregation module (the same one train local uses), serial:
    // element-wise, so the thread count would not change the bits, but a round needs no pool.
    Nesterov opt = new Nesterov(outer.lr(), outer.momentum(), outer.nesterov());
    int d = base.dimension();
    float[] theta = new float[d];
    float[] momentum = new float[d];
    boolean finite;
    try (ChunkRunner serial = ChunkRunner.serial()) {
      finite = opt.step(base.theta(), r.aggregate(), base.momentum(), theta, momentum, serial);
    }
    if (!finite) return new Applied(base.nullRound(), r, "outer step produced a non-finite parameter", malformed);
    long tokens = base.tokens();
    for (AggregationInput in : usable) tokens += (long) in.weight();
    return new Applied(new ModelState(theta, momentum, base.rounds() + 1, tokens), r, null, malformed);
  }
}
