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
 * banned, then the {@link CheckpointCodec} bytes. Decoding checks every length before it reads.
 */
public record CertifiedCheckpoint(Checkpoint checkpoint, long tokens, Digest seed, List<PeerKey> banned) {
  private static final int MAGIC = 0x57524331;
  /** Most banned keys a checkpoint may carry. */
  public static final int MAX_BANNED = 4096;

  public CertifiedCheckpoint {
    if (tokens < 0) throw new IllegalArgumentException("negative tokens");
    banned = List.copyOf(banned);
    if (banned.size() > MAX_BANNED) throw new IllegalArgumentException("more than " + MAX_BANNED + " banned keys");
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
    ByteBuffer b = ByteBuffer.allocate(4 + 8 + Digest.BYTES + 4 + banned.size() * PeerKey.BYTES + body.length);
    b.putInt(MAGIC).putLong(tokens).put(seed.bytes()).putInt(banned.size());
    for (PeerKey k : banned) b.put(k.bytes());
    return b.put(body).array();
  }

  /** @throws IllegalArgumentException saying what is wrong */
  public static CertifiedCheckpoint decode(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    if (b.remaining() < 4 + 8 + Digest.BYTES + 4) throw new IllegalArgumentException("certified checkpoint of " + data.length + " bytes is too short");
    if (b.getInt() != MAGIC) throw new IllegalArgumentException("not a certified checkpoint (bad magic)");
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
    byte[] rest = new byte[b.remaining()];
    b.get(rest);
    Checkpoint c;
    try {
      c = CheckpointCodec.decode(rest);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("checkpoint: " + e.getMessage(), e);
    }
    return new CertifiedCheckpoint(c, tokens, new Digest(seed), banned);
  }
}
