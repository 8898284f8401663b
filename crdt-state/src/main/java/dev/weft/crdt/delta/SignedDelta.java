package dev.weft.crdt.delta;

import dev.weft.crdt.codec.CanonicalReader;
import dev.weft.crdt.codec.CanonicalWriter;
import dev.weft.crdt.codec.DecodeLimits;
import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.CrdtCodec;
import dev.weft.crdt.type.Hlc;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.crypto.PubKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One write to a run's state, signed by its writer: the {@code seq}-th delta this writer produced
 * for run {@code runId}, changing {@code key} by merging {@code value}. The signature covers a
 * domain tag and the canonical encoding of every other field, so a delta cannot be replayed into
 * another run or under another key.
 *
 * <p>Encoding (docs/crdt.md): {@code body ‖ blob(signature)}, where body is
 * {@code string(runId) blob(writer peer id) varint(seq) varint(hlc.physical) varint(hlc.logical)
 * string(key) crdt(value)}. {@link #id()} is the SHA-256 of the whole encoding.
 */
public final class SignedDelta {
  static final byte[] DOMAIN = "weft-crdt-delta/1\n".getBytes(StandardCharsets.US_ASCII);
  public static final int MAX_SIGNATURE_BYTES = 512;

  private final String runId;
  private final PeerId writer;
  private final long seq;
  private final Hlc hlc;
  private final String key;
  private final Crdt value;
  private final byte[] signature;
  private final byte[] body;
  private final byte[] encoded;
  private final byte[] id;
  private String replica;
  /**
   * Decoded writer keys: decoding an Ed25519 point costs a good part of a verification, and a run
   * has few writers. Bounded: cleared when full.
   */
  private static final java.util.concurrent.ConcurrentHashMap<PeerId, PubKey> KEYS = new java.util.concurrent.ConcurrentHashMap<>();
  static final int MAX_CACHED_KEYS = 16_384;

  private SignedDelta(String runId, PeerId writer, long seq, Hlc hlc, String key, Crdt value, byte[] signature, byte[] body) {
    this.runId = runId;
    this.writer = writer;
    this.seq = seq;
    this.hlc = hlc;
    this.key = key;
    this.value = value;
    this.signature = signature;
    this.body = body;
    this.encoded = new CanonicalWriter(body.length + signature.length + 4).raw(body).blob(signature).toByteArray();
    this.id = sha256(encoded);
  }

  /** Signs a new delta with {@code key} (whose peer id becomes the writer). */
  public static SignedDelta sign(PrivKey signer, String runId, long seq, Hlc hlc, String key, Crdt value) {
    if (seq < 1) throw new IllegalArgumentException("seq starts at 1: " + seq);
    PeerId writer = PeerId.fromPublicKey(signer.publicKey());
    byte[] body = body(runId, writer, seq, hlc, key, value);
    return new SignedDelta(runId, writer, seq, hlc, key, value, signer.sign(signingInput(body)), body);
  }

  /** Re-signs arbitrary fields with an arbitrary key: for tests of forged and misattributed deltas. */
  public static SignedDelta forge(PrivKey signer, PeerId claimedWriter, String runId, long seq, Hlc hlc, String key, Crdt value) {
    byte[] body = body(runId, claimedWriter, seq, hlc, key, value);
    return new SignedDelta(runId, claimedWriter, seq, hlc, key, value, signer.sign(signingInput(body)), body);
  }

  private static byte[] body(String runId, PeerId writer, long seq, Hlc hlc, String key, Crdt value) {
    CanonicalWriter w = new CanonicalWriter(128);
    w.string(runId).blob(writer.bytes()).varint(seq).varint(hlc.physicalMillis()).varint(hlc.logical()).string(key);
    CrdtCodec.write(w, value);
    return w.toByteArray();
  }

  private static byte[] signingInput(byte[] body) {
    byte[] in = Arrays.copyOf(DOMAIN, DOMAIN.length + body.length);
    System.arraycopy(body, 0, in, DOMAIN.length, body.length);
    return in;
  }

  /** Decodes one delta; checks its form, not its signature (see {@link #signatureValid}). */
  public static SignedDelta decode(byte[] bytes, DecodeLimits limits) throws MalformedEncodingException {
    CanonicalReader r = new CanonicalReader(bytes, limits);
    String runId = r.string();
    PeerId writer;
    try {
      writer = PeerId.fromBytes(r.blob(limits.maxStringBytes()));
    } catch (IllegalArgumentException e) {
      throw new MalformedEncodingException("writer is not a peer id: " + e.getMessage());
    }
    long seq = r.varint();
    if (seq == 0) throw new MalformedEncodingException("seq 0");
    Hlc hlc = new Hlc(r.varint(), r.varint());
    String key = r.string();
    if (key.isEmpty()) throw new MalformedEncodingException("empty key");
    Crdt value = CrdtCodec.read(r);
    int bodyEnd = r.position();
    byte[] sig = r.blob(MAX_SIGNATURE_BYTES);
    r.expectEnd();
    return new SignedDelta(runId, writer, seq, hlc, key, value, sig, Arrays.copyOf(bytes, bodyEnd));
  }

  /** Whether the writer's (inlined) public key signed this delta. Costs one signature check. */
  public boolean signatureValid() {
    PubKey key = KEYS.get(writer);
    if (key == null) {
      Optional<PubKey> k;
      try {
        k = writer.publicKey();
      } catch (IllegalArgumentException e) {
        return false;
      }
      if (k.isEmpty()) return false;
      key = k.get();
      if (KEYS.size() >= MAX_CACHED_KEYS) KEYS.clear();
      KEYS.put(writer, key);
    }
    return key.verify(signingInput(body), signature);
  }

  public String runId() {
    return runId;
  }

  public PeerId writer() {
    return writer;
  }

  /** The writer as CRDT replica id (its base58 peer id). */
  public String replica() {
    String r = replica;
    if (r == null) replica = r = writer.toBase58();
    return r;
  }

  public long seq() {
    return seq;
  }

  public Hlc hlc() {
    return hlc;
  }

  public String key() {
    return key;
  }

  public Crdt value() {
    return value;
  }

  public byte[] encoded() {
    return encoded.clone();
  }

  public int encodedLength() {
    return encoded.length;
  }

  /** SHA-256 of the encoding: the delta's content address (also its gossipsub message id). */
  public byte[] id() {
    return id.clone();
  }

  public boolean sameId(SignedDelta o) {
    return Arrays.equals(id, o.id);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof SignedDelta d && Arrays.equals(encoded, d.encoded);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(id);
  }

  @Override public String toString() {
    return "Delta[" + writer + "#" + seq + " " + key + " @" + hlc + " " + HexFormat.of().formatHex(id, 0, 4) + "]";
  }
}
