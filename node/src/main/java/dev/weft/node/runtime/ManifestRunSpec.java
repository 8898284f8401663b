package dev.weft.node.runtime;

import dev.weft.node.run.RunManifest;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;

/**
 * The round runtime's {@link RunSpec} read off a coordinator's signed {@link RunManifest}: what a
 * volunteer's {@code weft node} trains by once it has verified the manifest and downloaded the
 * checkpoint. A pure function; it refuses, with the reason, a manifest the runtime cannot run.
 *
 * <p>What carries over and what does not, and why:
 * <ul>
 *   <li>The voters are the manifest's allowlist, all from round 0. Every honest peer must derive
 *       the same voter set for a round from data they all hold; an open run would need certified
 *       membership changes, which are not built, so {@code policy = "open"} runs are served but
 *       not trained (the caller says so).
 *   <li>The initial cut-off is the manifest's round timeout; the runtime's estimator learns it down
 *       (to a twelfth) from the rounds it sees. The view timeout is a quarter of it, at least 1 s,
 *       as in the testnet.
 *   <li>Quorum and voter count follow from the allowlist (q = n − f, {@code VoterSet}); the
 *       manifest's {@code round.quorum} is checked against it by {@link #check}.
 *   <li>The inner optimizer is the runtime's AdamW with warm-up and cosine over the run
 *       ({@link RunSpec#inner}) with the manifest's betas, weight decay, clip norm (0: none) and
 *       warm-up steps; {@code warmup_steps = 0}, the manifest's default, leaves the warm-up to
 *       the runtime (a tenth of the run's inner steps, at most 100), because a manifest cannot
 *       tell "none" from "not given" and a cold AdamW start is what the warm-up is for.
 * </ul>
 */
public final class ManifestRunSpec {
  private ManifestRunSpec() {}

  /**
   * @param theta the parameters of the manifest's checkpoint (verified by the caller against the
   *     manifest's model): the run's round-0 state, whose hash every peer checks
   * @throws IllegalArgumentException naming what the runtime cannot run
   */
  public static RunSpec of(RunManifest m, float[] theta) {
    String why = check(m);
    if (why != null) throw new IllegalArgumentException(why);
    List<RunSpec.Member> members = new ArrayList<>();
    for (PeerId p : m.admission().allow()) members.add(new RunSpec.Member(p.toBase58(), 0));
    long cutoff = m.limits().roundTimeoutMillis();
    double momentum = m.outer().optimizer().equals("sgd") ? 0 : m.outer().momentum();
    return new RunSpec(m.name(), m.model().spec(), m.training().innerSteps(), m.training().batchRows(), m.inner().lr(), m.outer().lr(), momentum,
        m.aggregation().rule(), m.aggregation().codec(), m.model().seed(), m.training().rounds(), cutoff, Math.max(1_000, cutoff / 4),
        m.round().minContributions(), m.training().checkpointEvery(), ParameterHash.hex(theta), members,
        new RunSpec.InnerOptimizer(m.inner().beta1(), m.inner().beta2(), m.inner().weightDecay(), m.inner().clipNorm(),
            m.inner().warmupSteps() > 0 ? m.inner().warmupSteps() : -1));
  }

  /** Why the runtime cannot train this run, in a sentence for the volunteer; null when it can. */
  public static String check(RunManifest m) {
    if (!m.admission().policy().equals("allowlist")) {
      return "run " + m.id() + " admits anyone (admission policy '" + m.admission().policy() + "'): training needs a fixed list of voters"
          + " (admission policy \"allowlist\"), because certified membership changes are not built yet";
    }
    int n = m.admission().allow().size();
    if (n < 1) return "run " + m.id() + " allows no peers";
    if (n > RunSpec.MAX_MEMBERS) return "run " + m.id() + " allows " + n + " peers; the round protocol takes at most " + RunSpec.MAX_MEMBERS;
    int f = (n - 1) / 3;
    if (m.round().quorum() > n - f) {
      return "run " + m.id() + " asks for a quorum of " + m.round().quorum() + " but " + n + " voters give " + (n - f) + " (n − f with f = " + f + ")";
    }
    if (m.round().minContributions() > n) {
      return "run " + m.id() + " needs " + m.round().minContributions() + " contributions per round from " + n + " allowed peers";
    }
    return null;
  }
}
