package dev.weft.node.round.apply;

import dev.weft.aggregation.InputReport;
import dev.weft.node.round.CheckedValue;
import dev.weft.node.round.Decision;
import dev.weft.node.round.InclusionRule;
import dev.weft.node.round.Membership;
import dev.weft.node.round.RoundSetup;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import java.util.ArrayList;
import java.util.List;

/**
 * "Why didn't my contribution count?", answered from certified data only — the certificate's
 * reports and sealed set, the membership of the round, and the deterministic apply result — so
 * every peer gives the same answer for every contributor.
 */
public final class ContributionFate {
  public enum Outcome {
    COUNTED,
    DOWNWEIGHTED,
    REJECTED_BY_AGGREGATOR,
    MALFORMED_BLOB,
    SEALED_IN_NULL_ROUND,
    TOO_FEW_REPORTS,
    NOT_REPORTED,
    BANNED,
    NOT_A_MEMBER
  }

  /** One contributor's fate in one round. */
  public record Fate(PeerKey contributor, Outcome outcome, String why) {}

  private ContributionFate() {}

  /** The fate of {@code who} in the round {@code d} certified. {@code applied} is that round's apply result. */
  public static Fate of(PeerKey who, Decision d, RoundSetup setup, Membership membership, Applied applied) {
    if (membership.isBanned(who)) return new Fate(who, Outcome.BANNED, "from a banned peer");
    int idx = setup.contributorIndex(who);
    if (idx < 0) return new Fate(who, Outcome.NOT_A_MEMBER, "not a contributor of round " + d.round());
    CheckedValue v = d.value();
    int f = setup.voters().f();
    int pos = v.indices().indexOf(idx);
    if (pos < 0) {
      List<byte[]> bitmaps = new ArrayList<>();
      for (Signed r : v.reports()) bitmaps.add(r.report().getBitmap().toByteArray());
      int named = InclusionRule.count(bitmaps, idx);
      if (named == 0) {
        return new Fate(who, Outcome.NOT_REPORTED,
            "none of the " + v.reports().size() + " certified reports names it: its blob reached no voter before that voter's cut-off");
      }
      return new Fate(who, Outcome.TOO_FEW_REPORTS,
          "available to " + named + " of the certified reports' voters, " + (f + 1) + " needed (it arrived after most cut-offs, or was not served)");
    }
    if (applied.malformed().contains(who.hex())) return new Fate(who, Outcome.MALFORMED_BLOB, "sealed, but its blob does not decode");
    if (applied.isNull()) return new Fate(who, Outcome.SEALED_IN_NULL_ROUND, "sealed, but the round was null: " + applied.nullReason());
    InputReport r = applied.aggregation().report(who.hex());
    return switch (r.verdict()) {
      case ACCEPTED -> new Fate(who, Outcome.COUNTED, "counted with influence " + String.format("%.3f", r.influence()));
      case DOWNWEIGHTED -> new Fate(who, Outcome.DOWNWEIGHTED, "down-weighted by the aggregator to " + String.format("%.3f", r.influence()) + ": " + r.reason());
      case REJECTED -> new Fate(who, Outcome.REJECTED_BY_AGGREGATOR, "rejected by the aggregator: " + r.reason());
    };
  }
}
