package dev.weft.crdt.replica;

import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.sync.SyncSession;
import java.util.ArrayDeque;
import java.util.List;

/** Runs one anti-entropy session between two in-process replicas, frame by frame; returns bytes exchanged. */
public final class SessionPump {
  private SessionPump() {}

  public static long sync(Replica a, Replica b, SyncConfig config) {
    SyncSession sa = new SyncSession(a, b.self(), config);
    SyncSession sb = new SyncSession(b, a.self(), config);
    ArrayDeque<byte[]> toB = new ArrayDeque<>();
    ArrayDeque<byte[]> toA = new ArrayDeque<>();
    long bytes = 0;
    enqueue(sa.start(), toB);
    enqueue(sb.start(), toA);
    while (!toA.isEmpty() || !toB.isEmpty()) {
      if (!toB.isEmpty()) {
        byte[] f = toB.poll();
        bytes += f.length;
        enqueue(sb.onFrame(f), toA);
      }
      if (!toA.isEmpty()) {
        byte[] f = toA.poll();
        bytes += f.length;
        enqueue(sa.onFrame(f), toB);
      }
    }
    if (!sa.isOver() || !sb.isOver()) throw new AssertionError("session did not finish");
    return bytes;
  }

  private static void enqueue(List<SyncSession.Action> actions, ArrayDeque<byte[]> q) {
    for (SyncSession.Action a : actions) {
      if (a instanceof SyncSession.Action.Send s) q.add(s.frame());
      if (a instanceof SyncSession.Action.Fail f) throw new AssertionError("session failed: " + f.reason());
    }
  }
}
