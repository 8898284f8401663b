package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundMessageException;
import dev.weft.node.round.msg.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What certified rounds imply for the rounds after them, replayed from a host's persisted
 * certificates: each round's setup (voters, contributors, base root, leader seed), its verified
 * decision, and the membership the bans leave. A restarting machine gets from here exactly the
 * state an uninterrupted one built round by round. Pure; certificates are checked, not trusted.
 */
final class CertifiedHistory {
  /** One replayed round: its setup, the membership it was built from, its decision. */
  record Round(RoundSetup setup, Membership membership, Decision decision) {}

  /** The rounds, and where the next one starts. */
  record Replayed(List<Round> rounds, Membership membership, long nextRound, Digest baseRoot, Digest seed) {}

  private CertifiedHistory() {}

  /**
   * Who {@code d} bans from the next round on: the offenders of its sealed evidence, and (with
   * {@code malformedBans}) every contributor of the applied set whose blob does not decode.
   */
  static List<PeerKey> bans(Decision d, boolean malformedBans, Predicate<Digest> undecodable) {
    List<PeerKey> out = new ArrayList<>(d.value().offenders());
    if (!malformedBans) return out;
    for (Signed c : d.value().applied()) {
      if (undecodable.test(Digest.from(c.contribution().getCid())) && !out.contains(c.signer())) out.add(c.signer());
    }
    return out;
  }

  /**
   * Replays {@code certificates} (one per round, contiguous from {@code firstRound}) from the
   * membership, base root and seed {@code firstRound} started with.
   *
   * @throws RoundMessageException if a certificate does not verify against the rounds before it
   */
  static Replayed replay(ProposalRules rules, RoundConfig config, Membership membership, long firstRound, Digest baseRoot, Digest seed,
      List<Signed> certificates, Predicate<Digest> undecodable) throws RoundMessageException {
    List<Round> rounds = new ArrayList<>();
    long round = firstRound;
    for (Signed c : certificates) {
      if (c.round() != round) throw new IllegalArgumentException("certificates must be one per round from " + firstRound + "; got round " + c.round() + " for " + round);
      RoundSetup setup = new RoundSetup(round, baseRoot, seed, membership.voters(round), membership.contributors(), 0);
      Decision d = rules.checkCertificate(c, setup, membership);
      rounds.add(new Round(setup, membership, d));
      membership = membership.withBans(bans(d, config.banMalformedBlobs(), undecodable));
      baseRoot = d.root();
      seed = d.seed();
      round++;
    }
    return new Replayed(rounds, membership, round, baseRoot, seed);
  }
}
