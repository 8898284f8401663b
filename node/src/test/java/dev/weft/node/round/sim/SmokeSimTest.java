package dev.weft.node.round.sim;

import org.junit.jupiter.api.Test;

class SmokeSimTest {
  @Test
  void honest() {
    SimResult r = new Simulation(new Scenario("honest", 1).voters(7).contributors(3).rounds(10)).run();
    System.out.println(r.summary());
    System.out.println("msgs " + r.sim().stats().messages() + " bytes " + r.sim().stats().protocolBytes() + " cut->dec " + r.sim().stats().cutoffToDecision());
    for (SimPeer p : r.sim().peers()) System.out.println(p + " round " + p.machine().currentRound() + " applied " + p.appliedRound() + " loss " + r.sim().loss(p.state()) + " rejected " + p.machine().rejectedMessages());
  }
}
