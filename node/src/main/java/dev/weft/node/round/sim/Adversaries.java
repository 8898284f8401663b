package dev.weft.node.round.sim;

import com.google.protobuf.ByteString;
import dev.weft.aggregation.codec.MalformedUpdateException;
import dev.weft.node.round.CheckedValue;
import dev.weft.node.round.InclusionRule;
import dev.weft.node.round.ProposalIds;
import dev.weft.node.round.RoundAction;
import dev.weft.node.round.RoundSetup;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.ContributionBody;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.EvidenceBody;
import dev.weft.node.round.msg.pb.Kind;
import dev.weft.node.round.msg.pb.ProposalBody;
import dev.weft.node.round.msg.pb.ProposalValue;
import dev.weft.node.round.msg.pb.ReportBody;
import dev.weft.node.round.msg.pb.ValueIds;
import dev.weft.node.round.msg.pb.VoteBody;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Byzantine behaviours for the simulator. Each runs the honest machine and rewrites what it sends,
 * signing only with its own key; what it learns it learns from messages it receives.
 */
public final class Adversaries {
  private Adversaries() {}

  /** Shared bookkeeping: the reports and contributions this peer received, by round. */
  abstract static class Base implements Behaviour {
    final Map<Long, TreeMap<PeerKey, Signed>> reports = new HashMap<>();
    final Map<Long, Map<PeerKey, Signed>> contributions = new HashMap<>();

    @Override
    public boolean honest() {
      return false;
    }

    @Override
    public boolean incoming(SimPeer self, PeerKey from, Signed m, Simulation sim) {
      if (m.kind() == Kind.REPORT) reports.computeIfAbsent(m.round(), r -> new TreeMap<>()).putIfAbsent(m.signer(), m);
      if (m.kind() == Kind.CONTRIBUTION) contributions.computeIfAbsent(m.round(), r -> new HashMap<>()).putIfAbsent(m.signer(), m);
      return true;
    }

    void own(Signed m) {
      if (m.kind() == Kind.REPORT) reports.computeIfAbsent(m.round(), r -> new TreeMap<>()).put(m.signer(), m);
      if (m.kind() == Kind.CONTRIBUTION) contributions.computeIfAbsent(m.round(), r -> new HashMap<>()).putIfAbsent(m.signer(), m);
    }

    /** The ids of the value our own machine proposed (it sends a reference; the attacks rewrite ids). */
    static ValueIds idsOf(SimPeer self, ProposalBody p) {
      if (p.hasIds()) return p.getIds();
      CheckedValue v = self.machine().value(ProposalIds.valueHash(p));
      if (v == null) throw new IllegalStateException("own proposal's value unknown to its machine");
      return ProposalIds.of(v.value());
    }

    /** {@code p} with its value named by {@code ids} instead. */
    static ProposalBody withIds(ProposalBody p, ValueIds ids) {
      return p.toBuilder().clearRef().clearValue().setIds(ids).build();
    }

    static Signed sign(SimPeer self, Simulation sim, Kind kind, com.google.protobuf.Message body) {
      return sim.codec().sign(kind, body, self.signer());
    }

    /**
     * A valid value from the given reports (first Q in voter order after sorting by {@code order}),
     * or null when a selected contribution is unknown here.
     */
    ProposalValue value(SimPeer self, long round, Comparator<Signed> order) {
      RoundSetup s = self.machine().setup();
      List<Signed> rs = new ArrayList<>(reports.getOrDefault(round, new TreeMap<>()).values());
      int q = s.voters().quorum();
      if (rs.size() < q) return null;
      rs.sort(order);
      return valueOf(self, round, new ArrayList<>(rs.subList(0, q)));
    }

    /** The valid value for exactly these reports, or null when a selected contribution is unknown here. */
    ProposalValue valueOf(SimPeer self, long round, List<Signed> chosen) {
      RoundSetup s = self.machine().setup();
      chosen.sort(Comparator.comparingInt(r -> s.voters().indexOf(r.signer())));
      List<byte[]> bitmaps = new ArrayList<>();
      for (Signed r : chosen) bitmaps.add(r.report().getBitmap().toByteArray());
      ProposalValue.Builder v = ProposalValue.newBuilder();
      for (Signed r : chosen) v.addReports(r.envelope());
      for (int i : InclusionRule.select(bitmaps, s.contributors().size(), s.voters().f() + 1)) {
        Signed c = contributions.getOrDefault(round, Map.of()).get(s.contributors().get(i));
        if (c == null) return null;
        v.addContributions(c.envelope());
      }
      return v.build();
    }
  }

  /** Sends every prevote and precommit twice: as computed, and for a made-up value. */
  public static Behaviour equivocatingVoter() {
    return new Base() {
      @Override
      public List<RoundAction> outgoing(SimPeer self, RoundAction a, Simulation sim) {
        if (a instanceof RoundAction.Send s && (s.message().kind() == Kind.PREVOTE || s.message().kind() == Kind.PRECOMMIT)
            && s.message().signer().equals(self.key())) {
          VoteBody other = s.message().vote().toBuilder().setValueHash(Digest.of(s.message().vote().getValueHash().toByteArray(), new byte[] {9}).toByteString()).build();
          return List.of(a, new RoundAction.Send(s.to(), sign(self, sim, s.message().kind(), other)));
        }
        return List.of(a);
      }
    };
  }

  /** Signs two contributions with different blobs each round and sends both to everyone. */
  public static Behaviour equivocatingContributor() {
    return new Base() {
      @Override
      public List<RoundAction> outgoing(SimPeer self, RoundAction a, Simulation sim) {
        if (a instanceof RoundAction.Send s && s.message().kind() == Kind.CONTRIBUTION && s.message().signer().equals(self.key())) {
          ContributionBody c = s.message().contribution();
          byte[] blob = sim.blob(Digest.from(c.getCid()));
          float[] d;
          try {
            d = sim.blobCodec().decode(blob, sim.scenario().dimension);
          } catch (MalformedUpdateException e) {
            throw new IllegalStateException(e);
          }
          for (int i = 0; i < d.length; i++) d[i] *= 1.5f;
          byte[] other = sim.blobCodec().encode(d);
          Digest cid = sim.storeBlob(other);
          self.held.add(cid);
          Signed alt = sign(self, sim, Kind.CONTRIBUTION, c.toBuilder().setCid(cid.toByteString()).setSize(other.length).build());
          List<PeerKey> half1 = s.to().subList(0, s.to().size() / 2);
          List<PeerKey> half2 = s.to().subList(s.to().size() / 2, s.to().size());
          // Each half sees its own version first, then the other: both halves hold evidence.
          return List.of(new RoundAction.Send(half1, s.message()), new RoundAction.Send(half2, alt),
              new RoundAction.Send(half1, alt), new RoundAction.Send(half2, s.message()));
        }
        return List.of(a);
      }
    };
  }

  /**
   * A contributor whose blobs never decode: each round it announces a blob with one byte too many
   * (the int8 codec rejects trailing bytes), stored and served like any blob.
   */
  public static Behaviour undecodableContributor() {
    return new Base() {
      @Override
      public List<RoundAction> outgoing(SimPeer self, RoundAction a, Simulation sim) {
        if (a instanceof RoundAction.Send s && s.message().kind() == Kind.CONTRIBUTION && s.message().signer().equals(self.key())) {
          ContributionBody c = s.message().contribution();
          byte[] good = sim.blob(Digest.from(c.getCid()));
          byte[] bad = java.util.Arrays.copyOf(good, good.length + 1);
          Digest cid = sim.storeBlob(bad);
          self.held.add(cid);
          return List.of(new RoundAction.Send(s.to(), sign(self, sim, Kind.CONTRIBUTION, c.toBuilder().setCid(cid.toByteString()).setSize(bad.length).build())));
        }
        return List.of(a);
      }
    };
  }

  /** What colluding Byzantine peers share: which honest voter was shown which of two values, per round. */
  public static final class Coalition {
    final Map<Long, Map<PeerKey, Integer>> camps = new HashMap<>();
    int equivocations;

    /** Rounds in which a member, as leader, sent two values. */
    public int equivocations() {
      return equivocations;
    }
  }

  /**
   * As leader, proposes two different valid values in one view (different choices of Q reports),
   * one to each half of the honest voters. With {@code relay}, every member also re-signs each
   * honest prevote and precommit it receives as its own and relays it to the sender's half only
   * (dropping its own votes): with more than f members, both halves reach a quorum and the run forks.
   */
  public static Behaviour equivocatingLeader(Coalition coalition, boolean relay) {
    return new Base() {
      @Override
      public boolean incoming(SimPeer self, PeerKey from, Signed m, Simulation sim) {
        super.incoming(self, from, m, sim);
        if (relay && (m.kind() == Kind.PREVOTE || m.kind() == Kind.PRECOMMIT) && sim.peer(m.signer()) != null && sim.peer(m.signer()).honest()) {
          RoundSetup s = self.machine().setup();
          Map<PeerKey, Integer> camp = coalition.camps.getOrDefault(m.round(), Map.of());
          Integer side = camp.get(m.signer());
          if (m.round() == s.round()) {
            List<PeerKey> to = new ArrayList<>();
            for (PeerKey k : s.voters().list()) {
              if (k.equals(self.key())) continue;
              SimPeer p = sim.peer(k);
              if (!p.honest() || side == null || side.equals(camp.get(k))) to.add(k);
            }
            sim.send(self, to, sign(self, sim, m.kind(), m.vote()));
          }
        }
        return true;
      }

      @Override
      public List<RoundAction> outgoing(SimPeer self, RoundAction a, Simulation sim) {
        if (!(a instanceof RoundAction.Send s) || !s.message().signer().equals(self.key())) return List.of(a);
        Signed m = s.message();
        own(m);
        if (relay && (m.kind() == Kind.PREVOTE || m.kind() == Kind.PRECOMMIT)) return List.of();
        if (m.kind() != Kind.PROPOSAL || m.proposal().getPolView() >= 0) return List.of(a);
        ProposalBody p = m.proposal();
        // The other value: the same reports but with our own replaced by a second report of ours
        // that claims nothing (report equivocation nobody sees: each half sees one proposal).
        Signed mine = reports.getOrDefault(p.getRound(), new TreeMap<>()).get(self.key());
        if (mine == null) return List.of(a);
        Signed empty = sign(self, sim, Kind.REPORT, mine.report().toBuilder().setBitmap(ByteString.copyFrom(new byte[mine.report().getBitmap().size()])).build());
        Map<ByteString, Signed> known = new HashMap<>();
        for (Signed r : reports.getOrDefault(p.getRound(), new TreeMap<>()).values()) known.put(r.id().toByteString(), r);
        List<Signed> chosen = new ArrayList<>();
        ValueIds ownIds = idsOf(self, p);
        for (ByteString id : ownIds.getReportIdsList()) {
          Signed r = known.get(id);
          if (r == null) return List.of(a);
          if (!r.signer().equals(self.key())) chosen.add(r);
        }
        if (chosen.size() == ownIds.getReportIdsCount()) chosen.remove(chosen.size() - 1);
        chosen.add(empty);
        ProposalValue other = valueOf(self, p.getRound(), chosen);
        if (other == null) return List.of(a);
        Signed alt = sign(self, sim, Kind.PROPOSAL, withIds(p, ProposalIds.of(other)));
        // Half the honest voters get one value, half the other; allies get both.
        List<PeerKey> a1 = new ArrayList<>(), a2 = new ArrayList<>();
        Map<PeerKey, Integer> camp = coalition.camps.computeIfAbsent(p.getRound(), r -> new HashMap<>());
        camp.clear();
        int honestSeen = 0;
        for (PeerKey k : s.to()) {
          if (!sim.peer(k).honest()) {
            a1.add(k);
            a2.add(k);
          } else if (honestSeen++ % 2 == 0) {
            a1.add(k);
            camp.put(k, 1);
          } else {
            a2.add(k);
            camp.put(k, 2);
          }
        }
        coalition.equivocations++;
        // The second half needs our second report to fill the alternative value's ids.
        return List.of(new RoundAction.Send(a1, m), new RoundAction.Send(a2, empty), new RoundAction.Send(a2, alt));
      }
    };
  }

  /** Sends evidence that an honest voter equivocated, with signatures it cannot make. */
  public static Behaviour evidenceForger(int victim) {
    return new Base() {
      @Override
      public List<RoundAction> outgoing(SimPeer self, RoundAction a, Simulation sim) {
        if (!(a instanceof RoundAction.Send s) || s.message().kind() != Kind.REPORT || !s.message().signer().equals(self.key())) return List.of(a);
        PeerKey v = sim.peers().get(victim).key();
        long round = s.message().round();
        Envelope e1 = fakeVote(v, round, 1), e2 = fakeVote(v, round, 2);
        EvidenceBody ev = EvidenceBody.newBuilder().setRun(sim.codec().run()).setRound(round).setFirst(e1).setSecond(e2).build();
        Envelope env = dev.weft.node.round.msg.RoundCodec.seal(Kind.EVIDENCE, ev, self.signer());
        Signed forged = new Signed(Kind.EVIDENCE, self.key(), ev, env, Digest.of(env.toByteArray()), round);
        return List.of(a, new RoundAction.Send(s.to(), forged));
      }

      private Envelope fakeVote(PeerKey victimKey, long round, int salt) {
        VoteBody b = VoteBody.newBuilder().setRun("sim-run").setRound(round).setView(0)
            .setValueHash(Digest.of(new byte[] {(byte) salt}).toByteString()).setStateRoot(Digest.ZERO.toByteString()).build();
        return Envelope.newBuilder().setKind(Kind.PREVOTE).setBody(b.toByteString()).setSigner(ByteString.copyFrom(victimKey.bytes()))
            .setSignature(ByteString.copyFrom(new byte[64])).build();
      }
    };
  }

  /**
   * Tries to keep {@code target}'s contribution out: its reports never name the target, and as
   * leader it picks the Q reports that name the target least.
   */
  public static Behaviour censor(int target) {
    return new Base() {
      @Override
      public List<RoundAction> outgoing(SimPeer self, RoundAction a, Simulation sim) {
        if (!(a instanceof RoundAction.Send s) || !s.message().signer().equals(self.key())) return List.of(a);
        Signed m = s.message();
        RoundSetup setup = self.machine().setup();
        int ti = setup.contributorIndex(sim.peers().get(target).key());
        if (m.kind() == Kind.REPORT) {
          byte[] b = m.report().getBitmap().toByteArray();
          if (ti >= 0 && ti / 8 < b.length) b[ti / 8] &= (byte) ~(1 << (ti & 7));
          Signed omitted = sign(self, sim, Kind.REPORT, m.report().toBuilder().setBitmap(ByteString.copyFrom(b)).build());
          own(omitted);
          return List.of(new RoundAction.Send(s.to(), omitted));
        }
        own(m);
        if (m.kind() == Kind.PROPOSAL && m.proposal().getPolView() < 0) {
          ProposalValue v = value(self, m.round(), Comparator.comparingInt((Signed r) -> InclusionRule.bit(r.report().getBitmap().toByteArray(), ti) ? 1 : 0));
          if (v != null) return List.of(new RoundAction.Send(s.to(), sign(self, sim, Kind.PROPOSAL, withIds(m.proposal(), ProposalIds.of(v)))));
        }
        return List.of(a);
      }
    };
  }

  /** A contributor that announces its contributions but serves its blobs only to Byzantine peers. */
  public static Behaviour withholder() {
    return new Base() {
      @Override
      public boolean serves(SimPeer self, Digest cid, SimPeer requester) {
        return !requester.honest();
      }
    };
  }

  /**
   * A voter allied with a withholding contributor: its reports claim the withheld blob, and as
   * leader it proposes the withheld contribution whether or not f+1 reports name it.
   */
  public static Behaviour withheldBlobLeader(int withholder) {
    return new Base() {
      /** Our machine's report ids → the claiming reports actually sent in their place. */
      final Map<ByteString, ByteString> replaced = new HashMap<>();

      @Override
      public List<RoundAction> outgoing(SimPeer self, RoundAction a, Simulation sim) {
        if (!(a instanceof RoundAction.Send s) || !s.message().signer().equals(self.key())) return List.of(a);
        Signed m = s.message();
        RoundSetup setup = self.machine().setup();
        PeerKey wk = sim.peers().get(withholder).key();
        int wi = setup.contributorIndex(wk);
        if (m.kind() == Kind.REPORT && wi >= 0) {
          byte[] b = m.report().getBitmap().toByteArray();
          InclusionRule.set(b, wi);
          Signed claimed = sign(self, sim, Kind.REPORT, ReportBody.newBuilder(m.report()).setBitmap(ByteString.copyFrom(b)).build());
          replaced.put(m.id().toByteString(), claimed.id().toByteString());
          return List.of(new RoundAction.Send(s.to(), claimed));
        }
        if (m.kind() == Kind.PROPOSAL && m.proposal().getPolView() < 0) {
          Signed c = contributions.getOrDefault(m.round(), Map.of()).get(wk);
          ByteString cid = c == null ? null : dev.weft.node.round.msg.RoundCodec.idOf(c.envelope()).toByteString();
          ValueIds own = idsOf(self, m.proposal());
          if (c != null && !own.getContributionIdsList().contains(cid)) {
            var ids = own.toBuilder().addContributionIds(cid);
            for (int k = 0; k < ids.getReportIdsCount(); k++) ids.setReportIds(k, replaced.getOrDefault(ids.getReportIds(k), ids.getReportIds(k)));
            return List.of(new RoundAction.Send(s.to(), sign(self, sim, Kind.PROPOSAL, withIds(m.proposal(), ids.build()))));
          }
        }
        return List.of(a);
      }
    };
  }
}
