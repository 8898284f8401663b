package dev.weft.crdt.bench;

import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.delta.Schema;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.replica.Replica;
import dev.weft.crdt.replica.ReplicaConfig;
import dev.weft.crdt.replica.ReplicaStore;
import dev.weft.crdt.replica.RocksReplicaStore;
import dev.weft.crdt.run.RunSchema;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.sync.SyncSession;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.Hlc;
import dev.weft.crdt.type.HybridClock;
import dev.weft.crdt.type.LwwRegister;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Measures the replicated state ({@code weft bench crdt}): deltas merged per second (decode,
 * validate, signature check, merge), signatures verified per second, merges per second without
 * the signature check, anti-entropy bytes to repair 1% divergence of a state of {@code keys} keys
 * (against the bytes of the deltas that differ), and RocksDB bytes written per delta. Prints
 * markdown. Every loop is bounded by its inputs.
 */
public final class CrdtBench {
  static final String RUN = "bench";
  static final long NOW = 1_767_225_600_000L;
  private final int keys;
  private final int writers;
  private final List<PrivKey> writerKeys = new ArrayList<>();
  private final Schema schema;

  public CrdtBench(int keys, int writers) {
    if (keys < 100 || keys > 1_000_000) throw new IllegalArgumentException("keys must be in [100, 1000000]");
    if (writers < 1 || writers > 1000) throw new IllegalArgumentException("writers must be in [1, 1000]");
    this.keys = keys;
    this.writers = writers;
    for (int i = 0; i < writers; i++) writerKeys.add(Ed25519.fromSeedNumber(9000 + i));
    this.schema = RunSchema.standard(PeerId.fromPublicKey(Ed25519.fromSeedNumber(8999).publicKey()), QuorumCertificate.verifier(Set.of(), 1), null);
  }

  Replica replica(long seed, ReplicaStore store) {
    return new Replica(RUN, schema, Ed25519.fromSeedNumber(seed), new HybridClock(() -> NOW + 1000, 60_000), ReplicaConfig.defaults(), store);
  }

  /** {@code keys} deltas, one key each ({@code contrib/<round>/<writer>}), writers interleaved, each writer's seqs ascending. */
  List<SignedDelta> deltas() {
    List<SignedDelta> out = new ArrayList<>(keys);
    long[] seq = new long[writers];
    for (int i = 0; i < keys; i++) {
      int w = i % writers;
      PrivKey k = writerKeys.get(w);
      String me = PeerId.fromPublicKey(k.publicKey()).toBase58();
      Hlc t = new Hlc(NOW, i);
      out.add(SignedDelta.sign(k, RUN, ++seq[w], t, "contrib/" + (i / writers) + "/" + me, LwwRegister.of(t, me, Bytes.utf8("digest-of-contribution-" + i))));
    }
    return out;
  }

  public void run(PrintStream out, Path dir) throws IOException {
    List<SignedDelta> ds = deltas();
    List<byte[]> enc = ds.stream().map(SignedDelta::encoded).toList();
    long deltaBytes = 0;
    for (byte[] b : enc) deltaBytes += b.length;
    out.printf("%d keys by %d writers, %d B per delta on average%n%n", keys, writers, deltaBytes / keys);
    out.println("| measurement | value |");
    out.println("|---|---|");

    // Warm-up, then the measured pass, on a fresh replica each.
    ingest(enc);
    long t0 = System.nanoTime();
    Replica r = ingest(enc);
    double s = (System.nanoTime() - t0) / 1e9;
    out.printf("| deltas merged (decode, validate, verify, merge) | %.0f /s |%n", keys / s);

    int verified = 0;
    t0 = System.nanoTime();
    for (SignedDelta d : ds) if (d.signatureValid()) verified++;
    s = (System.nanoTime() - t0) / 1e9;
    out.printf("| Ed25519 signatures verified (one at a time; the JDK has no batch verify) | %.0f /s |%n", verified / s);

    t0 = System.nanoTime();
    Crdt acc = LwwRegister.EMPTY;
    for (SignedDelta d : ds) acc = acc.merge(d.value());
    s = (System.nanoTime() - t0) / 1e9;
    out.printf("| register merges alone | %.0f /s |%n", keys / s);

    Random rnd = new Random(1);
    int diverge = Math.max(1, keys / 100);
    for (String mode : List.of("random", "recent")) {
      Replica a = ingest(enc);
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < keys; i++) idx.add(i);
      if (mode.equals("random")) Collections.shuffle(idx, rnd);
      else Collections.reverse(idx);
      Set<Integer> missing = new HashSet<>(idx.subList(0, diverge));
      Replica b = replica(2, ReplicaStore.NONE);
      long missingBytes = 0;
      for (int i = 0; i < keys; i++) {
        if (missing.contains(i)) missingBytes += enc.get(i).length;
        else b.receive(enc.get(i));
      }
      long[] bytes = sync(a, b);
      if (!java.util.Arrays.equals(a.stateRoot(), b.stateRoot())) throw new IllegalStateException("bench replicas did not converge");
      out.printf("| anti-entropy for %d keys, %d%% divergent (%s keys): bytes exchanged / bytes of the differing deltas | %d / %d = %.2fx |%n",
          keys, 1, mode, bytes[0], missingBytes, (double) bytes[0] / missingBytes);
    }

    if (dir != null) {
      Files.createDirectories(dir);
      Path db = Files.createTempDirectory(dir, "crdt-bench");
      try (RocksReplicaStore store = new RocksReplicaStore(db, false)) {
        Replica p = replica(3, store);
        t0 = System.nanoTime();
        for (byte[] b : enc) p.receive(b);
        s = (System.nanoTime() - t0) / 1e9;
        store.flush();
        long onDisk;
        try (Stream<Path> files = Files.walk(db)) {
          onDisk = files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".sst")).mapToLong(f -> f.toFile().length()).sum();
        }
        out.printf("| RocksDB: write-batch bytes per delta (delta + state value + covered prefix) | %d B |%n", store.bytesWritten() / keys);
        out.printf("| RocksDB: table bytes per delta after flush (compressed) | %d B |%n", onDisk / keys);
        out.printf("| deltas merged with RocksDB persistence (WAL, no fsync) | %.0f /s |%n", keys / s);
      }
      deleteTree(db);
    }
  }

  private Replica ingest(List<byte[]> enc) {
    Replica r = replica(1, ReplicaStore.NONE);
    for (byte[] b : enc) {
      if (!r.receive(b).accepted()) throw new IllegalStateException("bench delta refused: " + r.counters().lastRejection);
    }
    return r;
  }

  /** One in-memory session; returns {frame bytes both ways}. */
  static long[] sync(Replica a, Replica b) {
    SyncConfig c = SyncConfig.defaults();
    SyncSession sa = new SyncSession(a, b.self(), c);
    SyncSession sb = new SyncSession(b, a.self(), c);
    ArrayDeque<byte[]> toA = new ArrayDeque<>();
    ArrayDeque<byte[]> toB = new ArrayDeque<>();
    queue(sa.start(), toB);
    queue(sb.start(), toA);
    long bytes = 0;
    while (!toA.isEmpty() || !toB.isEmpty()) {
      if (!toB.isEmpty()) {
        byte[] f = toB.poll();
        bytes += f.length + 3;
        queue(sb.onFrame(f), toA);
      }
      if (!toA.isEmpty()) {
        byte[] f = toA.poll();
        bytes += f.length + 3;
        queue(sa.onFrame(f), toB);
      }
    }
    return new long[] {bytes};
  }

  private static void queue(List<SyncSession.Action> actions, ArrayDeque<byte[]> q) {
    for (SyncSession.Action a : actions) {
      if (a instanceof SyncSession.Action.Send s) q.add(s.frame());
      if (a instanceof SyncSession.Action.Fail f) throw new IllegalStateException("session failed: " + f.reason());
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    }
  }

  public static void main(String[] args) throws IOException {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    new CrdtBench(keys, 10).run(System.out, args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir")));
  }
}
