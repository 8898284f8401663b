package dev.weft.node.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.node.round.CutoffEstimator.CutoffConfig;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.Ed25519RoundKeys;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.RoundLimits;
import dev.weft.node.round.msg.RoundSigner;
import dev.weft.p2p.crypto.Ed25519;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The machine alone, with real Ed25519 keys: what it asks for at start, and how it meets bad input. */
class RoundMachineTest {
  final List<RoundSigner> signers = new ArrayList<>();
  final RoundConfig config = new RoundConfig("run", RoundLimits.defaults(), 3, 1000, 8000, CutoffConfig.defaults(), 16, 100, 1000);
  final RoundCodec codec = new RoundCodec("run", RoundLimits.defaults(), Ed25519RoundKeys.verifier());

  RoundMachine machine(int n) {
    List<Membership.Member> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      signers.add(Ed25519RoundKeys.signer(Ed25519.fromSeedNumber(100 + i)));
      members.add(new Membership.Member(signers.get(i).key(), -10, false));
    }
    return new RoundMachine(config, signers.get(0), codec, new Membership(members, 1), 0, Digest.ZERO, Digest.ZERO);
  }

  @Test
  void startAsksToTrainAndSetsTimersNoWallClock() {
    RoundMachine m = machine(4);
    List<RoundAction> a = m.start(123_456);
    assertTrue(a.get(0) instanceof RoundAction.Train t && t.round() == 0 && t.budgetMillis() < CutoffConfig.defaults().initialMillis());
    long timers = a.stream().filter(x -> x instanceof RoundAction.StartTimer).count();
    assertEquals(3, timers, a.toString());
  }

  @Test
  void garbageAndForgeriesAreRejectedWithoutStateChange() {
    RoundMachine m = machine(4);
    m.start(0);
    PeerKey from = signers.get(1).key();
    List<RoundAction> a = m.on(new RoundEvent.Received(from, new byte[] {1, 2, 3}), 10);
    assertTrue(a.size() == 1 && a.get(0) instanceof RoundAction.Misbehaved mb && mb.peer().equals(from), a.toString());
    byte[] big = new byte[RoundLimits.defaults().maxMessageBytes() + 1];
    assertTrue(m.on(new RoundEvent.Received(from, big), 11).get(0) instanceof RoundAction.Misbehaved);
    assertEquals(2, m.rejectedMessages());
    assertEquals(0, m.currentRound());
  }

  @Test
  void staleTimersAreIgnored() {
    RoundMachine m = machine(4);
    m.start(0);
    assertTrue(m.on(new RoundEvent.TimerFired(new TimerId(TimerId.Kind.VIEW, 7, 0)), 5).isEmpty());
  }
}
