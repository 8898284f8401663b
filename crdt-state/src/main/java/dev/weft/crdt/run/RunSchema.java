package dev.weft.crdt.run;

import dev.weft.crdt.delta.CertificateVerifier;
import dev.weft.crdt.delta.Equivocation;
import dev.weft.crdt.delta.EvidenceVerifier;
import dev.weft.crdt.delta.Schema;
import dev.weft.crdt.delta.WriteRule;
import dev.weft.crdt.type.CrdtType;
import dev.weft.p2p.api.PeerId;

/**
 * The declarations of a training run's state, one per key prefix:
 *
 * <pre>
 * manifest/{field}        lww-register  the coordinator only
 * checkpoint              lww-register  the coordinator only
 * members/{peer}          lww-register  that peer only (its join record)
 * progress/{peer}         g-counter     that peer only (inner steps done)
 * contrib/{round}/{peer}  lww-register  that peer only (its contribution's digest)
 * seal/{round}            lww-register  anyone, carrying a certificate the seal verifier accepts
 * bans/{peer}             lww-register  anyone, carrying evidence against that peer
 * </pre>
 */
public final class RunSchema {
  private RunSchema() {}

  public static final String MANIFEST = "manifest/{field}";
  public static final String CHECKPOINT = "checkpoint";
  public static final String MEMBERS = "members/{peer}";
  public static final String PROGRESS = "progress/{peer}";
  public static final String CONTRIB = "contrib/{round}/{peer}";
  public static final String SEAL = "seal/{round}";
  public static final String BANS = "bans/{peer}";

  /**
   * @param sealVerifier checks seal certificates (e.g. {@link dev.weft.crdt.delta.QuorumCertificate#verifier})
   * @param moreEvidence kinds of ban evidence beyond equivocation the node accepts (null for none)
   */
  public static Schema standard(PeerId coordinator, CertificateVerifier sealVerifier, EvidenceVerifier moreEvidence) {
    EvidenceVerifier evidence = moreEvidence == null ? Equivocation.VERIFIER : Equivocation.VERIFIER.or(moreEvidence);
    return Schema.builder(coordinator)
        .declare(MANIFEST, CrdtType.LWW_REGISTER, new WriteRule.Coordinator())
        .declare(CHECKPOINT, CrdtType.LWW_REGISTER, new WriteRule.Coordinator())
        .declare(MEMBERS, CrdtType.LWW_REGISTER, new WriteRule.NamedPeer("peer"), 4096)
        .declare(PROGRESS, CrdtType.G_COUNTER, new WriteRule.NamedPeer("peer"), 1024)
        .declare(CONTRIB, CrdtType.LWW_REGISTER, new WriteRule.NamedPeer("peer"), 4096)
        .declare(SEAL, CrdtType.LWW_REGISTER, new WriteRule.QuorumCertified(sealVerifier), 32 << 10)
        .declare(BANS, CrdtType.LWW_REGISTER, new WriteRule.WithEvidence("peer", evidence), 32 << 10)
        .build();
  }
}
