package dev.weft.node.round.sim;

/** The outcome of one simulation. */
public final class SimResult {
  private final Scenario scenario;
  private final Simulation sim;
  private final String violation;

  SimResult(Scenario scenario, Simulation sim, String violation) {
    this.scenario = scenario;
    this.sim = sim;
    this.violation = violation;
  }

  public String violation() {
    return violation;
  }

  public Simulation sim() {
    return sim;
  }

  /** The lowest round any live honest peer has reached (that is not halted). */
  public long minHonestRound() {
    long min = Long.MAX_VALUE;
    for (SimPeer p : sim.peers()) if (p.honest() && p.live() && p.alarm() == null) min = Math.min(min, p.machine().currentRound());
    return min == Long.MAX_VALUE ? -1 : min;
  }

  public long maxHonestRound() {
    long max = -1;
    for (SimPeer p : sim.peers()) if (p.honest()) max = Math.max(max, p.machine().currentRound());
    return max;
  }

  public int alarms() {
    int a = 0;
    for (SimPeer p : sim.peers()) if (p.honest() && p.alarm() != null) a++;
    return a;
  }

  /** A one-line description with the command that reruns it. */
  public String summary() {
    return scenario.name + " seed " + scenario.seed + ": rounds " + minHonestRound() + ".." + maxHonestRound() + ", t=" + sim.now() + "ms, "
        + (violation == null ? "no violation" : "VIOLATION " + violation) + (alarms() > 0 ? ", " + alarms() + " honest peers halted with an alarm" : "")
        + "; rerun: " + scenario.rerunCommand();
  }
}
