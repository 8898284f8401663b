package dev.weft.node.round.sim;

import dev.weft.node.round.RoundMachine;
import dev.weft.node.round.apply.ModelState;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundSigner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** One simulated peer: its machine and the host state around it (model state, blobs, network status). */
public final class SimPeer {
  final int index;
  final RoundSigner signer;
  /** Replaced when the peer restarts from its disk. */
  RoundMachine machine;
  final Behaviour behaviour;
  final long clockOffsetMillis;
  final SplittableRandom rnd;
  final boolean voter;
  boolean online = true;
  boolean crashed;
  boolean oneUlp;
  ModelState state;
  long appliedRound = -1;
  final TreeMap<Long, ModelState> archive = new TreeMap<>();
  final Map<String, ModelState> candidates = new HashMap<>();
  final Set<Digest> held = new HashSet<>();
  boolean repairing;
  final List<Runnable> afterRepair = new ArrayList<>();
  /** When this peer's uplink has sent everything queued so far, in virtual microseconds. */
  long uplinkFreeAtMicros;
  String alarm;
  int repairs;
  /** The peer's disk: certificates it was asked to persist, by round, as encoded frames. */
  final TreeMap<Long, byte[]> persisted = new TreeMap<>();
  /** Bumped on restart: callbacks of the process before are dropped. */
  int epoch;
  int restarts;
  /** Certificates persisted but not applied when the peer last restarted. */
  int unappliedAtRestart;

  SimPeer(int index, RoundSigner signer, RoundMachine machine, Behaviour behaviour, long clockOffsetMillis, SplittableRandom rnd, boolean voter, ModelState state) {
    this.index = index;
    this.signer = signer;
    this.machine = machine;
    this.behaviour = behaviour;
    this.clockOffsetMillis = clockOffsetMillis;
    this.rnd = rnd;
    this.voter = voter;
    this.state = state;
  }

  public PeerKey key() {
    return signer.key();
  }

  public int index() {
    return index;
  }

  public boolean honest() {
    return behaviour.honest();
  }

  public RoundMachine machine() {
    return machine;
  }

  public RoundSigner signer() {
    return signer;
  }

  public boolean voter() {
    return voter;
  }

  public boolean live() {
    return online && !crashed;
  }

  public ModelState state() {
    return state;
  }

  public long appliedRound() {
    return appliedRound;
  }

  public String alarm() {
    return alarm;
  }

  /** θ after {@code round} as this peer archived it (null if no longer kept). */
  public float[] archiveTheta(long round) {
    ModelState s = archive.get(round);
    return s == null ? null : s.theta();
  }

  public int restarts() {
    return restarts;
  }

  public int unappliedAtRestart() {
    return unappliedAtRestart;
  }

  public int repairs() {
    return repairs;
  }

  @Override
  public String toString() {
    return "peer" + index + "(" + signer.key() + ")";
  }
}
