package dev.weft.crdt.sync;

import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.delta.Verdict;
import dev.weft.crdt.replica.Replica;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One anti-entropy exchange with one peer, as a pure state machine (the same on both ends): told
 * of frames and timeouts, it answers with actions. Each side sends its digest; on the peer's
 * digest it sends the deltas the peer lacks (chunked to the frame limit, capped per session),
 * cover claims, and {@code Done}; the session finishes when both sides are done. Every frame from
 * the peer is checked: form, order (digest first, once), count and reject limits.
 */
public final class SyncSession {
  /** What the adapter must do. */
  public sealed interface Action {
    /** Write one frame (payload; the adapter adds the length prefix). */
    record Send(byte[] frame) implements Action {}

    /** The exchange completed: close the stream. */
    record Finish() implements Action {}

    /** The peer misbehaved or stalled: reset the stream (and tell the peer score, if any). */
    record Fail(String reason) implements Action {}
  }

  private final Replica replica;
  private final PeerId peer;
  private final SyncConfig config;
  private boolean gotDigest;
  private boolean sentDone;
  private boolean peerDone;
  private boolean over;
  private int frames;
  private int rejects;
  private long bytesIn;
  private long bytesOut;
  private int deltasIn;

  public SyncSession(Replica replica, PeerId peer, SyncConfig config) {
    this.replica = replica;
    this.peer = peer;
    this.config = config;
  }

  public List<Action> start() {
    List<Action> out = new ArrayList<>();
    send(out, new SyncMessage.Digest(replica.digest()));
    return out;
  }

  public List<Action> onFrame(byte[] frame) {
    List<Action> out = new ArrayList<>();
    if (over) return out;
    bytesIn += frame.length;
    if (++frames > config.maxFramesPerSession()) return fail(out, "more than " + config.maxFramesPerSession() + " frames");
    SyncMessage m;
    try {
      m = SyncCodec.decode(frame, config);
    } catch (MalformedEncodingException e) {
      return fail(out, "malformed frame: " + e.getMessage());
    }
    if (!gotDigest && !(m instanceof SyncMessage.Digest)) return fail(out, "first frame is not a digest");
    switch (m) {
      case SyncMessage.Digest d -> {
        if (gotDigest) return fail(out, "second digest");
        gotDigest = true;
        replica.acknowledged(peer, d.digest());
        Replica.Missing missing = replica.missingFor(d.digest(), config.maxSessionBytes());
        List<byte[]> chunk = new ArrayList<>();
        int chunkBytes = 8;
        for (SignedDelta sd : missing.deltas()) {
          byte[] b = sd.encoded();
          if (!chunk.isEmpty() && chunkBytes + b.length + 8 > config.maxFrameBytes()) {
            send(out, new SyncMessage.Deltas(chunk));
            chunk = new ArrayList<>();
            chunkBytes = 8;
          }
          chunk.add(b);
          chunkBytes += b.length + 8;
        }
        if (!chunk.isEmpty()) send(out, new SyncMessage.Deltas(chunk));
        if (!missing.coverClaims().isEmpty()) send(out, new SyncMessage.Cover(missing.coverClaims()));
        send(out, new SyncMessage.Done());
        sentDone = true;
      }
      case SyncMessage.Deltas d -> {
        if (peerDone) return fail(out, "deltas after done");
        for (byte[] b : d.deltas()) {
          deltasIn++;
          Verdict v = replica.receive(b);
          if (v.kind() == Verdict.Kind.REJECT && ++rejects > config.maxRejectsPerSession()) {
            return fail(out, rejects + " invalid deltas, last: " + v.reason());
          }
        }
      }
      case SyncMessage.Cover c -> {
        if (peerDone) return fail(out, "cover after done");
        for (Map.Entry<PeerId, Long> e : c.claims().entrySet()) replica.acceptCoverClaim(e.getKey(), e.getValue());
      }
      case SyncMessage.Done d -> {
        if (peerDone) return fail(out, "second done");
        peerDone = true;
      }
    }
    if (sentDone && peerDone) {
      over = true;
      out.add(new Action.Finish());
    }
    return out;
  }

  /** The read timer fired with no frame since it was armed. */
  public List<Action> onTimeout() {
    List<Action> out = new ArrayList<>();
    if (over) return out;
    return fail(out, "no frame within " + config.readTimeoutMillis() + " ms");
  }

  private void send(List<Action> out, SyncMessage m) {
    byte[] f = SyncCodec.encode(m);
    bytesOut += f.length;
    out.add(new Action.Send(f));
  }

  private List<Action> fail(List<Action> out, String reason) {
    over = true;
    out.add(new Action.Fail(reason));
    return out;
  }

  public boolean isOver() {
    return over;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }

  public int deltasIn() {
    return deltasIn;
  }

  public int rejects() {
    return rejects;
  }
}
