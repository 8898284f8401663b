package dev.weft.node.round.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One simulated run: peers, network, faults and attacks, and when to stop. Peers 0..voters-1 vote
 * (and contribute); the next {@code contributors} only contribute. Fluent and mutable while being
 * built; {@link Simulation} reads it once.
 */
public final class Scenario {
  /** Something to do at a virtual time. */
  public record TimedHook(long atMillis, Consumer<Simulation> action) {}

  /** What a correct run of the scenario looks like. */
  public enum Expect {
    /** No invariant violated, and every live honest peer reaches the round count. */
    SAFE_AND_LIVE,
    /** The checker finds a violation: scenarios beyond the fault model, showing it can fail. */
    VIOLATION,
    /** No violation, and every honest voter halts with an alarm. */
    HALT
  }

  Expect expect = Expect.SAFE_AND_LIVE;

  public Scenario expect(Expect e) {
    expect = e;
    return this;
  }

  public Expect expect() {
    return expect;
  }

  public int rounds() {
    return rounds;
  }

  /** Null if {@code r} is what this scenario should produce, else what is wrong. */
  public String judge(SimResult r) {
    return switch (expect) {
      case SAFE_AND_LIVE -> r.violation() != null ? "violation" : r.minHonestRound() < rounds ? "stalled at round " + r.minHonestRound() : null;
      case VIOLATION -> r.violation() == null ? "no violation found" : null;
      case HALT -> r.violation() != null ? "violation" : r.alarms() < voters ? "only " + r.alarms() + " honest peers halted" : null;
    };
  }

  public final String name;
  public final long seed;
  int voters = 7;
  int contributors = 0;
  NetConfig net = NetConfig.lan50();
  long computeMillis = 2_000;
  double paretoAlpha = 0;
  double churn = 0;
  long clockSkewMillis = 0;
  int rounds = 10;
  long maxVirtualMillis = 600_000;
  int finishAfter;
  int dimension = 32;
  int minInputs = 3;
  long baseViewTimeoutMillis = 1_000;
  long maxViewTimeoutMillis = 16_000;
  long cutoffInitialMillis = 3_000;
  boolean signatureChecks = true;
  boolean malformedBans = true;

  /** Crash {@code peer} right after it persists round {@code round}'s certificate (before it applies it), back after {@code downMillis}. */
  public record CrashAfterPersist(int peer, long round, long downMillis) {}

  CrashAfterPersist crashAfterPersist;
  boolean naiveRestart;

  /** Restart from the last applied state and the genesis membership, without replaying certificates: what restore prevents. */
  public Scenario naiveRestart() {
    naiveRestart = true;
    return this;
  }

  public Scenario crashAfterPersist(int peer, long round, long downMillis) {
    crashAfterPersist = new CrashAfterPersist(peer, round, downMillis);
    return this;
  }

  /** Crash {@code peer} at {@code atMillis} and restart it from its disk {@code downMillis} later. */
  public Scenario restart(int peer, long atMillis, long downMillis) {
    return at(atMillis, sim -> sim.crash(sim.peers().get(peer))).at(atMillis + downMillis, sim -> sim.restart(peer));
  }
  final Set<Integer> withoutMalformedBans = new HashSet<>();
  final Map<Integer, Behaviour> behaviours = new HashMap<>();
  final Set<Integer> oneUlp = new HashSet<>();
  final List<TimedHook> hooks = new ArrayList<>();
  final List<BiConsumer<Simulation, SendEvent>> sendHooks = new ArrayList<>();

  /** An outgoing message about to leave a peer, for hooks that trigger faults on protocol phases. */
  public record SendEvent(SimPeer from, dev.weft.node.round.msg.Signed message) {}

  public Scenario(String name, long seed) {
    this.name = name;
    this.seed = seed;
  }

  public Scenario voters(int n) {
    voters = n;
    return this;
  }

  public Scenario contributors(int n) {
    contributors = n;
    return this;
  }

  public Scenario net(NetConfig c) {
    net = c;
    return this;
  }

  /** Training time: fixed {@code millis}, or Pareto with that scale and shape {@code alpha} (heavy tail) when alpha > 0. */
  public Scenario compute(long millis, double alpha) {
    computeMillis = millis;
    paretoAlpha = alpha;
    return this;
  }

  /** Probability that a contributor sits a round out. */
  public Scenario churn(double p) {
    churn = p;
    return this;
  }

  public Scenario clockSkew(long maxAbsMillis) {
    clockSkewMillis = maxAbsMillis;
    return this;
  }

  /** Stop once every live honest peer has started this round. */
  /** Length of the simulated parameter vector (to match a model layout in tests). */
  public Scenario dimension(int d) {
    if (d < 1) throw new IllegalArgumentException("dimension must be positive");
    dimension = d;
    return this;
  }

  public Scenario rounds(int r) {
    rounds = r;
    return this;
  }

  /**
   * The run ends after this many rounds (0: never): a peer that reached it drops its timers, so it
   * starts no further round but still answers peers, as a finished node does.
   */
  public Scenario finishAfter(int r) {
    finishAfter = r;
    return this;
  }

  public Scenario maxVirtualMillis(long m) {
    maxVirtualMillis = m;
    return this;
  }

  public Scenario minInputs(int m) {
    minInputs = m;
    return this;
  }

  public Scenario viewTimeouts(long base, long max) {
    baseViewTimeoutMillis = base;
    maxViewTimeoutMillis = max;
    return this;
  }

  public Scenario signatureChecks(boolean on) {
    signatureChecks = on;
    return this;
  }

  /** Whether honest machines ban contributors whose sealed blobs do not decode (off only to show what the rule stops). */
  public Scenario malformedBans(boolean on) {
    malformedBans = on;
    return this;
  }

  /** One honest peer whose machine lacks the malformed-blob ban: its membership drifts from the others'. */
  public Scenario withoutMalformedBans(int peer) {
    withoutMalformedBans.add(peer);
    return this;
  }

  public Scenario behaviour(int peer, Behaviour b) {
    behaviours.put(peer, b);
    return this;
  }

  Adversaries.Coalition coalition;

  /** Remembers the coalition so tests can check the attack was really made. */
  public Scenario coalition(Adversaries.Coalition c) {
    coalition = c;
    return this;
  }

  public Adversaries.Coalition coalition() {
    return coalition;
  }

  public Scenario oneUlpError(int peer) {
    oneUlp.add(peer);
    return this;
  }

  public Scenario at(long millis, Consumer<Simulation> action) {
    hooks.add(new TimedHook(millis, action));
    return this;
  }

  public Scenario onSend(BiConsumer<Simulation, SendEvent> hook) {
    sendHooks.add(hook);
    return this;
  }

  public int peers() {
    return voters + contributors;
  }

  public String rerunCommand() {
    return "weft bench round --scenario " + name + " --seed " + seed;
  }
}
