package dev.weft.node.round.sim;

import dev.weft.node.round.msg.pb.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measurements behind {@code weft bench round}: scenario reruns and seed sweeps, and the protocol's
 * overhead per round (messages and bytes by kind against contribution bytes, and the time from a
 * voter's cut-off to its decision in round trips of the simulated 50 ms links).
 */
public final class RoundBench {
  private RoundBench() {}

  /** The protocol's cost per round at {@code n} voters (all of them contributors). */
  public record Overhead(int n, int rounds, double messagesPerRound, double bytesPerRound, double contributionBytesPerRound,
      double medianCutoffToDecisionMillis, double p90CutoffToDecisionMillis, long linkMillis, String byKind, double wallSeconds) {
    public double medianRoundTrips() {
      return medianCutoffToDecisionMillis / (2.0 * linkMillis);
    }

    public double p90RoundTrips() {
      return p90CutoffToDecisionMillis / (2.0 * linkMillis);
    }
  }

  /** Runs {@code rounds} honest rounds at {@code n} voters over 50 ms links without jitter or loss. */
  public static Overhead overhead(int n, int rounds, long seed) {
    long link = 50;
    Scenario sc = new Scenario("overhead-" + n, seed).voters(n).contributors(0).rounds(rounds)
        .net(new NetConfig(link, 0, 12_500_000, 0, 0)).compute(2_000, 0).maxVirtualMillis(3_600_000);
    long t0 = System.nanoTime();
    SimResult r = new Simulation(sc).run();
    double wall = (System.nanoTime() - t0) / 1e9;
    if (r.violation() != null) throw new IllegalStateException(r.summary());
    SimStats s = r.sim().stats();
    int done = (int) r.minHonestRound();
    List<Long> lat = new ArrayList<>(s.cutoffToDecision());
    Collections.sort(lat);
    double med = lat.isEmpty() ? Double.NaN : lat.get(lat.size() / 2);
    double p90 = lat.isEmpty() ? Double.NaN : lat.get((int) Math.min(lat.size() - 1, Math.floor(lat.size() * 0.9)));
    StringBuilder kinds = new StringBuilder();
    for (Kind k : Kind.values()) {
      if (k == Kind.UNRECOGNIZED || s.messages(k) == 0) continue;
      if (kinds.length() > 0) kinds.append(", ");
      kinds.append(k.name().toLowerCase()).append(' ').append(String.format("%.0f", (double) s.bytes(k) / done / 1024)).append(" KiB");
    }
    return new Overhead(n, done, (double) s.messages() / done, (double) s.protocolBytes() / done, (double) s.contributionBlobBytes() / done,
        med, p90, link, kinds.toString(), wall);
  }

  /** Runs {@code name} at seeds seed..seed+count-1; returns the results. */
  public static List<SimResult> sweep(String name, long seed, int count) {
    List<SimResult> out = new ArrayList<>();
    for (int i = 0; i < count; i++) out.add(new Simulation(Scenarios.get(name, seed + i)).run());
    return out;
  }
}
