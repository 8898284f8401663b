package dev.weft.crdt.delta;

import dev.weft.crdt.type.LwwRegister;
import dev.weft.p2p.api.PeerId;
import java.util.Map;

/**
 * Who may write the keys of one schema declaration. Decided from the delta alone and immutable
 * run facts (the coordinator, the verifiers), never from mutable replica state: every replica must
 * reach the same verdict whatever it has seen so far, or replicas would diverge.
 */
public sealed interface WriteRule {
  /** Whether {@code delta} (already signature-checked, matching the key's pattern with {@code vars}) may be merged. */
  boolean permits(SignedDelta delta, Map<String, String> vars, PeerId coordinator);

  /** Only the run's coordinator (the run manifest). */
  record Coordinator() implements WriteRule {
    @Override public boolean permits(SignedDelta d, Map<String, String> vars, PeerId coordinator) {
      return d.writer().equals(coordinator);
    }
  }

  /** Only the peer named by key variable {@code variable} ({@code members/{peer}}: that peer). */
  record NamedPeer(String variable) implements WriteRule {
    @Override public boolean permits(SignedDelta d, Map<String, String> vars, PeerId coordinator) {
      return d.replica().equals(vars.get(variable));
    }
  }

  /** Anyone, but the value must be a last-writer-wins register holding a certificate the verifier accepts. */
  record QuorumCertified(CertificateVerifier verifier) implements WriteRule {
    @Override public boolean permits(SignedDelta d, Map<String, String> vars, PeerId coordinator) {
      return d.value() instanceof LwwRegister r && !r.isBottom() && verifier.verify(d.key(), vars, r.value());
    }
  }

  /** Anyone, but the value must be a register holding evidence against the peer named by {@code variable}. */
  record WithEvidence(String variable, EvidenceVerifier verifier) implements WriteRule {
    @Override public boolean permits(SignedDelta d, Map<String, String> vars, PeerId coordinator) {
      if (!(d.value() instanceof LwwRegister r) || r.isBottom()) return false;
      PeerId accused;
      try {
        accused = PeerId.fromBase58(vars.get(variable));
      } catch (RuntimeException e) {
        return false;
      }
      return verifier.verify(accused, r.value());
    }
  }
}
