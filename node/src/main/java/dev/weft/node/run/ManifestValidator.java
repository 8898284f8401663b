package dev.weft.node.run;

import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.TrimmedMean;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.ModelSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The combinations of a {@link RunManifest}'s fields that cannot work, each reported on the field
 * to change, with the numbers that clash. Pure; called by {@link ManifestReader} once every field
 * is valid on its own.
 */
public final class ManifestValidator {
  /** Models up to this many parameters get their update size checked by encoding a zero vector. */
  static final int MAX_DIMENSION_ENCODED = 1 << 22;

  private ManifestValidator() {}

  public static List<ManifestProblem> validate(RunManifest m) {
    List<ManifestProblem> out = new ArrayList<>();
    String ruleSpec = m.aggregation().rule().trim().toLowerCase(Locale.ROOT);
    String kind = ruleSpec.split(":", 2)[0];
    Aggregator rule = Aggregators.parse(ruleSpec);
    int f = m.aggregation().f();
    int minSet = m.round().minContributions();
    int quorum = m.round().quorum();

    if (kind.equals("mean") && f > 0) {
      out.add(new ManifestProblem("aggregation.f", "the mean tolerates no Byzantine contribution, but f = " + f
          + ": use a robust rule (centered-clip, trimmed-mean, median, krum, geometric-median) or set f = 0"));
    } else if (f > 0 && minSet < 2 * f + 1) {
      out.add(new ManifestProblem("aggregation.f", "f = " + f + " needs honest contributions in the majority: at least 2f+1 = " + (2 * f + 1)
          + " per round, but round.min_contributions = " + minSet));
    }
    if (kind.equals("krum") || kind.equals("multi-krum")) {
      int ruleF = Integer.parseInt(ruleSpec.split(":")[1]);
      if (ruleF < f) out.add(new ManifestProblem("aggregation.rule", ruleSpec + " is built for " + ruleF + " Byzantine inputs, but aggregation.f = " + f));
    }
    if (rule.minInputs() > minSet) {
      out.add(new ManifestProblem("round.min_contributions", rule.name() + " needs at least " + rule.minInputs() + " inputs, but a round may apply "
          + minSet));
    }
    if (rule instanceof TrimmedMean t && f > 0 && t.trimmed(minSet) < f) {
      out.add(new ManifestProblem("aggregation.f", ruleSpec + " trims " + t.trimmed(minSet) + " of " + minSet
          + " contributions from each end, fewer than f = " + f + ": raise the fraction or round.min_contributions"));
    }
    if (quorum < 2 * f + 1) {
      out.add(new ManifestProblem("aggregation.f", "f = " + f + " is too large for round.quorum = " + quorum + ": a seal needs at least 2f+1 = "
          + (2 * f + 1) + " reports, so that f+1 of them come from honest voters"));
    }
    if (quorum > m.round().maxVoters()) {
      out.add(new ManifestProblem("round.quorum", quorum + " reports can never be gathered from round.max_voters = " + m.round().maxVoters() + " voters"));
    }
    if (minSet > m.limits().maxPeers()) {
      out.add(new ManifestProblem("round.min_contributions", minSet + " contributions per round can never come from limits.max_peers = " + m.limits().maxPeers()));
    }
    String codecSpec = m.aggregation().codec().trim();
    if (codecSpec.startsWith("topk") && isCoordinateWise(ruleSpec)) {
      out.add(new ManifestProblem("aggregation.codec", codecSpec + " sends a sparse update (most coordinates zero), so the coordinate-wise rule "
          + ruleSpec + " would see mostly zeros and cancel it: use int8 or bf16 with it, or a rule over whole vectors (centered-clip, krum)"));
    }
    if (m.training().checkpointEvery() > m.training().rounds()) {
      out.add(new ManifestProblem("training.checkpoint_every", "a checkpoint every " + m.training().checkpointEvery() + " rounds never comes in a run of "
          + m.training().rounds()));
    }
    if (m.data().shardsPerPeer() > m.data().shards().size()) {
      out.add(new ManifestProblem("data.shards_per_peer", m.data().shardsPerPeer() + " shards per peer, but the run has " + m.data().shards().size()));
    }
    if (m.outer().optimizer().equals("sgd") && m.outer().momentum() > 0) {
      out.add(new ManifestProblem("outer.momentum", "sgd takes no momentum (" + m.outer().momentum() + "): set 0, or use optimizer = \"nesterov\""));
    }
    long totalSteps = (long) m.training().innerSteps() * m.training().rounds();
    if (m.inner().warmupSteps() > totalSteps) {
      out.add(new ManifestProblem("inner.warmup_steps", "warm-up of " + m.inner().warmupSteps() + " steps is longer than the run (" + totalSteps + " inner steps)"));
    }
    if (m.admission().policy().equals("allowlist") && m.admission().allow().isEmpty()) {
      out.add(new ManifestProblem("admission.allow", "policy = \"allowlist\" with nobody on the list: name the peers that may contribute"));
    }
    if (m.admission().policy().equals("open") && !m.admission().allow().isEmpty()) {
      out.add(new ManifestProblem("admission.allow", "an open run takes anyone: list peers only with policy = \"allowlist\""));
    }
    ModelSpec model = ModelSpecs.parse(m.model().spec());
    int d = model.layout().size();
    if (d <= MAX_DIMENSION_ENCODED) {
      Codec codec = Codecs.parse(codecSpec);
      int bytes = codec.encode(new float[d]).length;
      if (bytes > m.limits().maxContributionBytes()) {
        out.add(new ManifestProblem("limits.max_contribution_bytes", "one " + codecSpec + " update of " + model.name() + " (" + d + " parameters) takes "
            + bytes + " bytes, more than " + m.limits().maxContributionBytes()));
      }
    }
    return out;
  }

  /** Rules that combine each coordinate on its own (median, trimmed mean, and bucketing over them). */
  static boolean isCoordinateWise(String ruleSpec) {
    String[] p = ruleSpec.split(":", 3);
    return switch (p[0]) {
      case "median", "trimmed-mean" -> true;
      case "bucketing" -> p.length == 3 && isCoordinateWise(p[2]);
      default -> false;
    };
  }
}
