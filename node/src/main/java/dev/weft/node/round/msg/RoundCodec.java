package dev.weft.node.round.msg;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.weft.node.round.msg.pb.ContributionBody;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.EvidenceBody;
import dev.weft.node.round.msg.pb.Kind;
import dev.weft.node.round.msg.pb.NullRoundBody;
import dev.weft.node.round.msg.pb.ProposalBody;
import dev.weft.node.round.msg.pb.ProposalValue;
import dev.weft.node.round.msg.pb.ReportBody;
import dev.weft.node.round.msg.pb.SealCertificateBody;
import dev.weft.node.round.msg.pb.SyncRequestBody;
import dev.weft.node.round.msg.pb.VoteBody;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Bytes ↔ {@link Signed} round messages. Decoding treats input as hostile and checks, in order:
 * the frame size, the envelope (known kind, 32-byte signer, 64-byte signature), the body size for
 * its kind, canonical encoding and no unknown fields (so message ids are unambiguous), the
 * signature, the run id, every repeated count, and every nested envelope recursively (each with its
 * own signature, of the kind its place allows, for the same round). Any failure is a {@link
 * RoundMessageException}; nothing else escapes. Stateless and thread-safe.
 *
 * <p>The signature covers {@code "weft/round/1" ‖ kind ‖ body}; bodies carry run, round and view,
 * so a signature binds all three.
 */
public final class RoundCodec {
  private static final byte[] DOMAIN = "weft/round/1".getBytes(StandardCharsets.US_ASCII);
  /** Envelope framing on top of the body: tags, lengths, a 32-byte key and a 64-byte signature. */
  private static final int ENVELOPE_OVERHEAD = 128;

  private final String run;
  private final RoundLimits limits;
  private final SignatureVerifier verifier;

  public RoundCodec(String run, RoundLimits limits, SignatureVerifier verifier) {
    this.run = Objects.requireNonNull(run, "run");
    if (run.isEmpty() || run.getBytes(StandardCharsets.UTF_8).length > limits.maxRunIdBytes()) {
      throw new IllegalArgumentException("run id must be 1.." + limits.maxRunIdBytes() + " bytes");
    }
    this.limits = limits;
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  public String run() {
    return run;
  }

  public RoundLimits limits() {
    return limits;
  }

  /** Signs {@code body} as a message of {@code kind}. */
  public static Envelope seal(Kind kind, Message body, RoundSigner signer) {
    ByteString b = body.toByteString();
    return Envelope.newBuilder()
        .setKind(kind)
        .setBody(b)
        .setSigner(ByteString.copyFrom(signer.key().bytes()))
        .setSignature(ByteString.copyFrom(signer.sign(signingBytes(kind, b))))
        .build();
  }

  /** Seals and checks in one step: for our own messages, which need the same record as received ones. */
  public Signed sign(Kind kind, Message body, RoundSigner signer) {
    try {
      return verify(seal(kind, body, signer), 0);
    } catch (RoundMessageException e) {
      throw new IllegalArgumentException("own message does not pass its own checks: " + e.getMessage(), e);
    }
  }

  /**
   * Seals a message built only from parts that passed {@link #verify} (a certificate from checked
   * precommits): the nested signatures are not checked a second time.
   */
  public Signed signTrusted(Kind kind, Message body, RoundSigner signer, long round) {
    Envelope env = seal(kind, body, signer);
    return new Signed(kind, signer.key(), body, env, Digest.of(signingBytes(kind, env.getBody()), signer.key().bytes()), round);
  }

  public byte[] encode(Signed m) {
    return m.envelope().toByteArray();
  }

  public Signed decode(byte[] frame) throws RoundMessageException {
    if (frame.length > limits.maxMessageBytes()) {
      throw new RoundMessageException("message of " + frame.length + " bytes exceeds " + limits.maxMessageBytes());
    }
    Envelope env;
    try {
      CodedInputStream in = CodedInputStream.newInstance(frame);
      in.setSizeLimit(limits.maxMessageBytes());
      in.setRecursionLimit(16);
      env = Envelope.parseFrom(in);
      in.checkLastTagWas(0);
    } catch (java.io.IOException e) {
      throw new RoundMessageException("malformed envelope: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new RoundMessageException("malformed envelope: " + e, e);
    }
    return verify(env, 0);
  }

  /**
   * Opens an envelope nested inside a message that {@link #decode} or {@link #verify} accepted —
   * and only such: the signature and limits were checked with the outer message, so this parses
   * without checking them again (a proposal at n=256 nests over 400 signed messages).
   *
   * @throws RoundMessageException if it does not parse (cannot happen for a checked message)
   */
  public Signed openChecked(Envelope env) throws RoundMessageException {
    Kind kind = env.getKind();
    Message body = parseBody(kind, env.getBody());
    PeerKey signer = new PeerKey(env.getSigner().toByteArray());
    return new Signed(kind, signer, body, env, Digest.of(signingBytes(kind, env.getBody()), signer.bytes()), roundOf(kind, body));
  }

  private static long roundOf(Kind kind, Message body) {
    return switch (kind) {
      case CONTRIBUTION -> ((ContributionBody) body).getRound();
      case REPORT -> ((ReportBody) body).getRound();
      case PROPOSAL -> ((ProposalBody) body).getRound();
      case PREVOTE, PRECOMMIT -> ((VoteBody) body).getRound();
      case SEAL_CERTIFICATE -> ((SealCertificateBody) body).getRound();
      case NULL_ROUND -> ((NullRoundBody) body).getRound();
      case EVIDENCE -> ((EvidenceBody) body).getRound();
      case SYNC_REQUEST -> ((SyncRequestBody) body).getRound();
      default -> -1;
    };
  }

  /** Checks an already parsed envelope (nested ones come this way). */
  public Signed verify(Envelope env, int depth) throws RoundMessageException {
    if (depth > 2) throw new RoundMessageException("envelopes nested too deep");
    if (!env.getUnknownFields().asMap().isEmpty()) throw new RoundMessageException("unknown envelope fields");
    Kind kind = env.getKind();
    if (kind == Kind.KIND_UNSPECIFIED || kind == Kind.UNRECOGNIZED) throw new RoundMessageException("unknown kind");
    if (env.getSigner().size() != PeerKey.BYTES) throw new RoundMessageException("signer must be 32 bytes");
    if (env.getSignature().size() != 64) throw new RoundMessageException("signature must be 64 bytes");
    ByteString raw = env.getBody();
    int bodyLimit = isLarge(kind) ? limits.maxMessageBytes() : limits.maxSmallBodyBytes();
    if (raw.size() > bodyLimit) throw new RoundMessageException(kind + " body of " + raw.size() + " bytes exceeds " + bodyLimit);
    Message body = parseBody(kind, raw);
    if (!body.toByteString().equals(raw)) throw new RoundMessageException(kind + " body is not canonically encoded");
    PeerKey signer = new PeerKey(env.getSigner().toByteArray());
    byte[] signed = signingBytes(kind, raw);
    if (!verifier.verify(signer, signed, env.getSignature().toByteArray())) {
      throw new RoundMessageException(kind + " signature by " + signer + " does not verify");
    }
    long round = checkBody(kind, body, depth);
    return new Signed(kind, signer, body, env, Digest.of(signed, signer.bytes()), round);
  }

  private static boolean isLarge(Kind kind) {
    return kind == Kind.PROPOSAL || kind == Kind.SEAL_CERTIFICATE || kind == Kind.NULL_ROUND || kind == Kind.EVIDENCE || kind == Kind.SYNC_REQUEST;
  }

  private static byte[] signingBytes(Kind kind, ByteString body) {
    byte[] out = new byte[DOMAIN.length + 1 + body.size()];
    System.arraycopy(DOMAIN, 0, out, 0, DOMAIN.length);
    out[DOMAIN.length] = (byte) kind.getNumber();
    body.copyTo(out, DOMAIN.length + 1);
    return out;
  }

  private static Message parseBody(Kind kind, ByteString raw) throws RoundMessageException {
    try {
      Message m = switch (kind) {
        case CONTRIBUTION -> ContributionBody.parseFrom(raw);
        case REPORT -> ReportBody.parseFrom(raw);
        case PROPOSAL -> ProposalBody.parseFrom(raw);
        case PREVOTE, PRECOMMIT -> VoteBody.parseFrom(raw);
        case SEAL_CERTIFICATE -> SealCertificateBody.parseFrom(raw);
        case NULL_ROUND -> NullRoundBody.parseFrom(raw);
        case EVIDENCE -> EvidenceBody.parseFrom(raw);
        case SYNC_REQUEST -> SyncRequestBody.parseFrom(raw);
        default -> throw new RoundMessageException("unknown kind " + kind);
      };
      if (!m.getUnknownFields().asMap().isEmpty()) throw new RoundMessageException(kind + " has unknown fields");
      return m;
    } catch (InvalidProtocolBufferException e) {
      throw new RoundMessageException("malformed " + kind + ": " + e.getMessage(), e);
    }
  }

  /** Checks run, sizes and nested envelopes; returns the round. */
  private long checkBody(Kind kind, Message body, int depth) throws RoundMessageException {
    switch (kind) {
      case CONTRIBUTION -> {
        ContributionBody c = (ContributionBody) body;
        checkRun(c.getRun());
        digest("base_root", c.getBaseRoot());
        digest("cid", c.getCid());
        if (!(c.getNorm() >= 0) || Double.isInfinite(c.getNorm())) throw new RoundMessageException("norm must be finite and >= 0");
        if (c.getTokens() == 0) throw new RoundMessageException("tokens must be positive");
        return c.getRound();
      }
      case REPORT -> {
        ReportBody r = (ReportBody) body;
        checkRun(r.getRun());
        if (r.getBitmap().size() > (limits.maxContributors() + 7) / 8) throw new RoundMessageException("report bitmap too long");
        return r.getRound();
      }
      case PROPOSAL -> {
        ProposalBody p = (ProposalBody) body;
        checkRun(p.getRun());
        int forms = (p.hasValue() ? 1 : 0) + (p.hasIds() ? 1 : 0) + (p.hasRef() ? 1 : 0);
        if (forms != 1) throw new RoundMessageException("a proposal carries its value, the value's ids or its reference, exactly one");
        if (p.hasValue()) {
          checkValue(p.getValue(), p.getRound(), depth);
        } else if (p.hasRef()) {
          var ref = p.getRef();
          if (!ref.getUnknownFields().asMap().isEmpty()) throw new RoundMessageException("unknown value reference fields");
          if (ref.getReporters().size() > (limits.maxVoters() + 7) / 8) throw new RoundMessageException("reporter bitmap too long");
          digest("value_hash", ref.getValueHash());
          nested(ref.getEvidenceList(), limits.maxEvidence(), Kind.EVIDENCE, -1, depth, "evidence");
        } else {
          var ids = p.getIds();
          if (!ids.getUnknownFields().asMap().isEmpty()) throw new RoundMessageException("unknown value id fields");
          ids(ids.getReportIdsList(), limits.maxVoters(), "report ids");
          ids(ids.getContributionIdsList(), limits.maxContributors(), "contribution ids");
          nested(ids.getEvidenceList(), limits.maxEvidence(), Kind.EVIDENCE, -1, depth, "evidence");
        }
        if (p.getPolView() < -1 || p.getPolView() >= 0 && p.getPolView() >= p.getView()) throw new RoundMessageException("pol_view must be -1 or below the view");
        if (p.getPolView() == -1 && p.getPolPrevotesCount() > 0) throw new RoundMessageException("prevotes without a pol_view");
        nested(p.getPolPrevotesList(), limits.maxVoters(), Kind.PREVOTE, p.getRound(), depth, "pol_prevotes");
        return p.getRound();
      }
      case PREVOTE, PRECOMMIT -> {
        VoteBody v = (VoteBody) body;
        checkRun(v.getRun());
        digest("value_hash", v.getValueHash());
        digest("state_root", v.getStateRoot());
        return v.getRound();
      }
      case SEAL_CERTIFICATE -> {
        SealCertificateBody c = (SealCertificateBody) body;
        checkRun(c.getRun());
        checkValue(c.getValue(), c.getRound(), depth);
        digest("state_root", c.getStateRoot());
        nested(c.getPrecommitsList(), limits.maxVoters(), Kind.PRECOMMIT, c.getRound(), depth, "precommits");
        return c.getRound();
      }
      case NULL_ROUND -> {
        NullRoundBody c = (NullRoundBody) body;
        checkRun(c.getRun());
        checkValue(c.getValue(), c.getRound(), depth);
        digest("state_root", c.getStateRoot());
        nested(c.getPrecommitsList(), limits.maxVoters(), Kind.PRECOMMIT, c.getRound(), depth, "precommits");
        return c.getRound();
      }
      case EVIDENCE -> {
        EvidenceBody e = (EvidenceBody) body;
        checkRun(e.getRun());
        if (!e.hasFirst()) throw new RoundMessageException("evidence without a message");
        Signed a = verify(e.getFirst(), depth + 1);
        if (a.kind() == Kind.EVIDENCE || a.round() != e.getRound()) throw new RoundMessageException("evidence names an unsuitable message");
        if (e.hasSecond()) {
          Signed b = verify(e.getSecond(), depth + 1);
          if (b.kind() != a.kind() || b.round() != a.round()) throw new RoundMessageException("evidence messages are of different slots");
        } else if (a.kind() != Kind.CONTRIBUTION || e.getInvalidBlobReason().isEmpty()) {
          throw new RoundMessageException("single-message evidence must be an invalid contribution blob with a reason");
        }
        if (e.getInvalidBlobReason().length() > 256) throw new RoundMessageException("evidence reason too long");
        return e.getRound();
      }
      case SYNC_REQUEST -> {
        SyncRequestBody s = (SyncRequestBody) body;
        checkRun(s.getRun());
        if (s.getContributorsCount() > limits.maxContributors()) throw new RoundMessageException("too many contributors requested");
        if (s.getReportersCount() > limits.maxVoters()) throw new RoundMessageException("too many reporters requested");
        if (!s.getValueHash().isEmpty()) digest("value_hash", s.getValueHash());
        ids(s.getIdsList(), limits.maxVoters() + limits.maxContributors(), "ids");
        return s.getRound();
      }
      default -> throw new RoundMessageException("unknown kind " + kind);
    }
  }

  private void checkValue(ProposalValue v, long round, int depth) throws RoundMessageException {
    if (!v.getUnknownFields().asMap().isEmpty()) throw new RoundMessageException("unknown value fields");
    nested(v.getReportsList(), limits.maxVoters(), Kind.REPORT, round, depth, "reports");
    nested(v.getContributionsList(), limits.maxContributors(), Kind.CONTRIBUTION, round, depth, "contributions");
    nested(v.getEvidenceList(), limits.maxEvidence(), Kind.EVIDENCE, -1, depth, "evidence");
  }

  private void nested(List<Envelope> list, int max, Kind kind, long round, int depth, String what) throws RoundMessageException {
    if (list.size() > max) throw new RoundMessageException("too many " + what + ": " + list.size() + " > " + max);
    for (Envelope e : list) {
      if (e.getKind() != kind) throw new RoundMessageException(what + " must be " + kind);
      Signed s = verify(e, depth + 1);
      if (round >= 0 && s.round() != round) throw new RoundMessageException(what + " from another round");
    }
  }

  private static void ids(List<ByteString> ids, int max, String what) throws RoundMessageException {
    if (ids.size() > max) throw new RoundMessageException("too many " + what + ": " + ids.size() + " > " + max);
    for (ByteString b : ids) if (b.size() != Digest.BYTES) throw new RoundMessageException(what + " must be 32 bytes each");
  }

  /** The message id of an envelope (what {@link Signed#id()} is), without checking it. */
  public static Digest idOf(Envelope env) {
    return Digest.of(signingBytes(env.getKind(), env.getBody()), env.getSigner().toByteArray());
  }

  private void checkRun(String r) throws RoundMessageException {
    if (!run.equals(r)) throw new RoundMessageException("message for another run");
  }

  private static void digest(String what, ByteString b) throws RoundMessageException {
    if (b.size() != Digest.BYTES) throw new RoundMessageException(what + " must be 32 bytes");
  }
}
