package dev.weft.crdt.delta;

import dev.weft.crdt.type.Bytes;
import dev.weft.p2p.api.PeerId;

/**
 * Checks the evidence a ban carries against the banned peer. Pure, like {@link CertificateVerifier}.
 * {@link Equivocation#VERIFIER} is the built-in one; a node may add its own kinds with {@link #or}.
 */
@FunctionalInterface
public interface EvidenceVerifier {
  boolean verify(PeerId accused, Bytes evidence);

  default EvidenceVerifier or(EvidenceVerifier other) {
    return (p, e) -> verify(p, e) || other.verify(p, e);
  }
}
