package dev.weft.node.round.sim;

import dev.weft.node.round.msg.pb.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Counters of one simulation: protocol messages and bytes by kind, blob bytes, decision latency. */
public final class SimStats {
  final Map<Kind, long[]> byKind = new EnumMap<>(Kind.class);
  long blobBytes;
  long contributionBlobBytes;
  long misbehaved;
  long dropped;
  long events;
  /** Per voter decision: milliseconds from its cut-off to its decision. */
  final List<Long> cutoffToDecision = new ArrayList<>();

  void sent(Kind k, int bytes) {
    long[] c = byKind.computeIfAbsent(k, x -> new long[2]);
    c[0]++;
    c[1] += bytes;
  }

  public long messages() {
    long m = 0;
    for (long[] c : byKind.values()) m += c[0];
    return m;
  }

  public long protocolBytes() {
    long b = 0;
    for (long[] c : byKind.values()) b += c[1];
    return b;
  }

  public long messages(Kind k) {
    long[] c = byKind.get(k);
    return c == null ? 0 : c[0];
  }

  public long bytes(Kind k) {
    long[] c = byKind.get(k);
    return c == null ? 0 : c[1];
  }

  public long blobBytes() {
    return blobBytes;
  }

  /** Bytes of all contributions' blobs produced (each counted once). */
  public long contributionBlobBytes() {
    return contributionBlobBytes;
  }

  public long misbehaved() {
    return misbehaved;
  }

  public long events() {
    return events;
  }

  public List<Long> cutoffToDecision() {
    return cutoffToDecision;
  }
}
