package dev.weft.crdt.replica;

import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.delta.Schema;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.run.RunSchema;
import dev.weft.crdt.run.RunState;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.sync.SyncSession;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.HybridClock;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A replica as its own process, for {@link RestartTest}. {@code burst DIR N}: writes N deltas,
 * printing {@code ACK seq hex} once each is on disk (then it may be killed at any moment).
 * {@code resume DIR}: reopens the store, prints {@code SEQ n} (its own covered prefix), runs one
 * anti-entropy session over stdin/stdout ({@code F hex} lines), prints {@code ROOT hex}.
 */
public final class ReplicaProcess {
  static final String RUN = "restart-run";
  static final PrivKey COORD = Ed25519.fromSeedNumber(100);
  static final PrivKey CHILD = Ed25519.fromSeedNumber(101);
  static final PrivKey PARENT = Ed25519.fromSeedNumber(102);
  static final Schema SCHEMA = RunSchema.standard(PeerId.fromPublicKey(COORD.publicKey()), QuorumCertificate.verifier(Set.of(), 1), null);
  static final SyncConfig SYNC = SyncConfig.defaults();

  private ReplicaProcess() {}

  static Replica open(PrivKey key, ReplicaStore store) {
    return new Replica(RUN, SCHEMA, key, new HybridClock(System::currentTimeMillis, 60_000), ReplicaConfig.defaults(), store);
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    try (RocksReplicaStore store = new RocksReplicaStore(Path.of(args[1]), false)) {
      Replica r = open(CHILD, store);
      RunState run = new RunState(r);
      HexFormat hex = HexFormat.of();
      if (args[0].equals("burst")) {
        int n = Integer.parseInt(args[2]);
        for (int i = 1; i <= n; i++) {
          SignedDelta d = i % 2 == 0 ? run.addProgress(1) : run.contribute(i, Bytes.utf8("c" + i));
          out.println("ACK " + d.seq() + " " + hex.formatHex(d.encoded()));
          out.flush();
        }
        return;
      }
      ReplicaDigest.Writer own = r.digest().writer(r.self());
      out.println("SEQ " + (own == null ? 0 : own.contiguous()));
      out.flush();
      SyncSession s = new SyncSession(r, PeerId.fromPublicKey(PARENT.publicKey()), SYNC);
      emit(out, s.start());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while (!s.isOver() && (line = in.readLine()) != null) {
        if (line.startsWith("F ")) emit(out, s.onFrame(hex.parseHex(line.substring(2))));
      }
      out.println("ROOT " + hex.formatHex(r.stateRoot()));
      out.flush();
    }
  }

  static void emit(PrintStream out, List<SyncSession.Action> actions) {
    for (SyncSession.Action a : actions) {
      if (a instanceof SyncSession.Action.Send s) out.println("F " + HexFormat.of().formatHex(s.frame()));
      if (a instanceof SyncSession.Action.Fail f) out.println("FAIL " + f.reason());
    }
    out.flush();
  }
}
