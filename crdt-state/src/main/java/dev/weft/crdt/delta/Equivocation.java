package dev.weft.crdt.delta;

import dev.weft.crdt.codec.CanonicalReader;
import dev.weft.crdt.codec.CanonicalWriter;
import dev.weft.crdt.codec.DecodeLimits;
import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.type.Bytes;
import dev.weft.p2p.api.PeerId;
import java.util.Arrays;

/**
 * Proof that a writer equivocated: two deltas it validly signed for one run with the same sequence
 * number and different content (it told different neighbours different things). Self-certifying:
 * anyone can check it without trusting whoever reports it, and no honest writer can be framed.
 *
 * <p>Encoding: tag byte {@code 0x45} ('E'), then the two deltas as blobs, in ascending id order.
 */
public record Equivocation(SignedDelta first, SignedDelta second) {
  static final int TAG = 0x45;

  public Equivocation {
    if (Arrays.compareUnsigned(first.id(), second.id()) > 0) {
      SignedDelta t = first;
      first = second;
      second = t;
    }
  }

  /** The accused writer, if the two deltas prove it equivocated. */
  public boolean proves(PeerId accused) {
    return first.writer().equals(accused) && second.writer().equals(accused) && first.seq() == second.seq()
        && first.runId().equals(second.runId()) && !first.sameId(second) && first.signatureValid() && second.signatureValid();
  }

  public Bytes encode() {
    return Bytes.of(new CanonicalWriter().u8(TAG).blob(first.encoded()).blob(second.encoded()).toByteArray());
  }

  public static Equivocation decode(Bytes evidence, DecodeLimits limits) throws MalformedEncodingException {
    CanonicalReader r = new CanonicalReader(evidence.toByteArray(), limits);
    if (r.u8() != TAG) throw new MalformedEncodingException("not equivocation evidence");
    SignedDelta a = SignedDelta.decode(r.blob(), limits);
    SignedDelta b = SignedDelta.decode(r.blob(), limits);
    r.expectEnd();
    Equivocation e = new Equivocation(a, b);
    if (!e.first.equals(a)) throw new MalformedEncodingException("evidence deltas not in id order");
    return e;
  }

  /** Accepts equivocation evidence against the accused. */
  public static final EvidenceVerifier VERIFIER = (accused, evidence) -> {
    try {
      return decode(evidence, DecodeLimits.delta()).proves(accused);
    } catch (MalformedEncodingException e) {
      return false;
    }
  };
}
