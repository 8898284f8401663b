package dev.weft.crdt.replica;

import dev.weft.p2p.api.PeerId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A replica's summary for anti-entropy: per writer, the covered prefix, the seqs held beyond it,
 * and a hash of its live deltas (a version vector with a check value); and the state root, which
 * replicas that converged share.
 */
public record ReplicaDigest(byte[] stateRoot, List<Writer> writers) {
  /** One writer's entry. */
  public record Writer(PeerId writer, long contiguous, List<Long> extras, byte[] logHash) {
    public boolean covers(long seq) {
      return seq <= contiguous || extras.contains(seq);
    }

    @Override public boolean equals(Object o) {
      return o instanceof Writer w && writer.equals(w.writer) && contiguous == w.contiguous && extras.equals(w.extras)
          && Arrays.equals(logHash, w.logHash);
    }

    @Override public int hashCode() {
      return writer.hashCode() * 31 + Long.hashCode(contiguous);
    }
  }

  public Writer writer(PeerId p) {
    for (Writer w : writers) if (w.writer.equals(p)) return w;
    return null;
  }

  public String rootHex() {
    return HexFormat.of().formatHex(stateRoot);
  }

  @Override public boolean equals(Object o) {
    return o instanceof ReplicaDigest d && Arrays.equals(stateRoot, d.stateRoot) && writers.equals(d.writers);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(stateRoot);
  }
}
