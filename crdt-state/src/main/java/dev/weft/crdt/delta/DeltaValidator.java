package dev.weft.crdt.delta;

import dev.weft.crdt.codec.DecodeLimits;
import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.type.HybridClock;
import dev.weft.crdt.type.LwwRegister;
import java.util.Optional;

/**
 * Decides whether a delta may be merged, from the delta alone and the run's fixed facts: size,
 * form, run, signature, schema (key, type, write rule), authorship of its content, and its clock.
 * Stateless apart from reading the wall clock; duplicates and equivocation are the replica's job.
 * Cheap checks run before the signature check, so junk costs little.
 */
public final class DeltaValidator {
  private final String runId;
  private final Schema schema;
  private final HybridClock clock;
  private final int maxDeltaBytes;

  public DeltaValidator(String runId, Schema schema, HybridClock clock, int maxDeltaBytes) {
    this.runId = runId;
    this.schema = schema;
    this.clock = clock;
    this.maxDeltaBytes = maxDeltaBytes;
  }

  /** The decoded delta, or the reason it was refused. */
  public record Decoded(SignedDelta delta, Verdict verdict) {}

  public Decoded decodeAndValidate(byte[] encoded) {
    if (encoded.length > maxDeltaBytes) return new Decoded(null, Verdict.reject("oversized delta: " + encoded.length + " bytes > " + maxDeltaBytes));
    SignedDelta d;
    try {
      d = SignedDelta.decode(encoded, DecodeLimits.delta());
    } catch (MalformedEncodingException e) {
      return new Decoded(null, Verdict.reject("malformed delta: " + e.getMessage()));
    }
    return new Decoded(d, validate(d));
  }

  public Verdict validate(SignedDelta d) {
    if (d.encodedLength() > maxDeltaBytes) return Verdict.reject("oversized delta: " + d.encodedLength() + " bytes");
    if (!d.runId().equals(runId)) return Verdict.reject("delta for run " + d.runId());
    Optional<Schema.Match> m = schema.match(d.key());
    if (m.isEmpty()) return Verdict.reject("no schema rule for key " + d.key());
    KeyRule rule = m.get().rule();
    if (d.encodedLength() > rule.maxDeltaBytes()) return Verdict.reject("delta over " + rule.maxDeltaBytes() + " bytes for " + rule.pattern());
    if (!d.value().type().equals(rule.type())) return Verdict.reject(d.key() + " holds " + rule.type() + ", not " + d.value().type());
    if (!d.value().authoredBy(d.replica())) return Verdict.reject("delta carries writes attributed to other replicas");
    if (d.value() instanceof LwwRegister r && !r.isBottom() && !r.stamp().equals(d.hlc())) {
      return Verdict.reject("register stamp " + r.stamp() + " is not the delta's clock " + d.hlc());
    }
    if (!clock.acceptable(d.hlc())) return Verdict.reject("clock " + d.hlc() + " too far in the future");
    if (!d.signatureValid()) return Verdict.reject("bad signature");
    if (!rule.rule().permits(d, m.get().vars(), schema.coordinator())) return Verdict.reject(d.writer() + " may not write " + d.key());
    return Verdict.ACCEPTED;
  }
}
