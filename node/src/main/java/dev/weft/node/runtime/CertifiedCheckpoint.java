package dev.weft.node.runtime;

import dev.weft.node.round.apply.ModelState;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.train.checkpoint.Checkpoint;
import dev.weft.node.train.checkpoint.CheckpointCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint plus what the round protocol needs to resume from it: the tokens counter of the
 * certified state (so {@link #state()}'s root is the certified root), the leader seed of the
 * round it starts, and the banned members. θ and momentum alone would leave a restarted node
 * unable to name the round's leader or to check a certificate's root.
 *
 * <p>Encoding: {@code "WRC1"}, int64 tokens, 32-byte seed, int32 count and 32-byte keys of the
 * banned, then the {@link CheckpointCodec} bytes; {@code "WRC2"} the same with an int32 length
 * and the encoded certificate of the round that produced the state after the banned keys
 * ({@link CheckpointCertificate}). Decoding checks every length before it reads.
 *
 * @param certificate the encoded SEAL_CERTIFICATE or NULL_ROUND of round {@code round() − 1};
 *     null for round 0 (nothing certified it: the run's initial hash does)
 */
public record CertifiedCheckpoint(Checkpoint checkpoint, long tokens, Digest seed, List<PeerKey> banned, byte[] certificate) {
  private static final int MAGIC = 0x57524331;
  private static final int MAGIC_CERTIFIED = 0x57524332;
  /** Largest certificate carried: the round protocol's own message limit. */
  public static final int MAX_CERTIFICATE_BYTES = 1 << 20;
  /** Most banned keys a checkpoint may carry. */
  public static final int MAX_BANNED = 4096;

  public CertifiedCheckpoint {
    if (tokens < 0) throw new IllegalArgumentException("negative tokens");
    banned = List.copyOf(banned);
    if (banned.size() > MAX_BANNED) throw new IllegalArgumentException("more than " + MAX_BANNED + " banned keys");
    if (certificate != null && certificate.length > MAX_CERTIFICATE_BYTES) throw new IllegalArgumentException("certificate over " + MAX_CERTIFICATE_BYTES + " bytes");
  }

  /** Without a certificate (round 0, or a node that has none to give). */
  public CertifiedCheckpoint(Checkpoint checkpoint, long tokens, Digest seed, List<PeerKey> banned) {
    this(checkpoint, tokens, seed, banned, null);
  }

  /** The round this checkpoint is the start of. */
  public long round() {
    return checkpoint.round();
  }

  /** The certified state it holds: its root is what the previous round's certificate names. */
  public ModelState state() {
    return new ModelState(checkpoint.theta(), checkpoint.outerMomentum(), checkpoint.round(), tokens);
  }

  public byte[] encode() {
    byte[] body = CheckpointCodec.encode(checkpoint);
    int cert = certificate == null ? 0 : 4 + certificate.length;
    ByteBuffer b = ByteBuffer.allocate(4 + 8 + Digest.BYTES + 4 + banned.size() * PeerKey.BYTES + cert + body.length);
    b.putInt(certificate == null ? MAGIC : MAGIC_CERTIFIED).putLong(tokens).put(seed.bytes()).putInt(banned.size());
    for (PeerKey k : banned) b.put(k.bytes());
    if (certificate != null) b.putInt(certificate.length).put(certificate);
    return b.put(body).array();
  }

  /** @throws IllegalArgumentException saying what is wrong */
  public static CertifiedCheckpoint decode(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    if (b.remaining() < 4 + 8 + Digest.BYTES + 4) throw new IllegalArgumentException("certified checkpoint of " + data.length + " bytes is too short");
    int magic = b.getInt();
    if (magic != MAGIC && magic != MAGIC_CERTIFIED) throw new IllegalArgumentException("not a certified checkpoint (bad magic)");
    long tokens = b.getLong();
    if (tokens < 0) throw new IllegalArgumentException("negative tokens");
    byte[] seed = new byte[Digest.BYTES];
    b.get(seed);
    int n = b.getInt();
    if (n < 0 || n > MAX_BANNED || (long) n * PeerKey.BYTES > b.remaining()) throw new IllegalArgumentException("bad banned count " + n);
    List<PeerKey> banned = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] k = new byte[PeerKey.BYTES];
      b.get(k);
      banned.add(new PeerKey(k));
    }
    byte[] certificate = null;
    if (magic == MAGIC_CERTIFIED) {
      if (b.remaining() < 4) throw new IllegalArgumentException("certified checkpoint without its certificate length");
      int len = b.getInt();
      if (len < 1 || len > MAX_CERTIFICATE_BYTES || len > b.remaining()) throw new IllegalArgumentException("bad certificate length " + len);
      certificate = new byte[len];
      b.get(certificate);
    }
    byte[] rest = new byte[b.remaining()];
    b.get(rest);
    Checkpoint c;
    try {
      c = CheckpointCodec.decode(rest);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("checkpoint: " + e.getMessage(), e);
    }
    return new CertifiedCheckpoint(c, tokens, new Digest(seed), banned, certificate);
  }
}
