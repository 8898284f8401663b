package dev.weft.crdt.fuzz;

import dev.weft.crdt.delta.Equivocation;
import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.replica.ReplicaDigest;
import dev.weft.crdt.sync.SyncCodec;
import dev.weft.crdt.sync.SyncMessage;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.CrdtCodec;
import dev.weft.crdt.type.CrdtGenerators;
import dev.weft.crdt.type.Hlc;
import dev.weft.crdt.type.LwwRegister;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the checked-in seed corpus of {@link DecoderFuzzTest} (valid encodings of every kind,
 * plus truncated ones). Run: {@code java -cp <test classpath> dev.weft.crdt.fuzz.CorpusWriter
 * crdt-state/src/test/resources/dev/weft/crdt/fuzz/DecoderFuzzTestInputs}.
 */
public final class CorpusWriter {
  private CorpusWriter() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Random r = new Random(1);
    int i = 0;
    for (CrdtGenerators.TypeGen g : CrdtGenerators.all()) {
      List<Crdt> states = CrdtGenerators.history(g, r, 12).allStates();
      byte[] b = CrdtCodec.encode(states.get(states.size() - 1));
      write(root.resolve("crdt"), g.name().replaceAll("[^a-z]", "_"), b);
      write(root.resolve("crdt"), "truncated_" + i++, Arrays.copyOf(b, b.length / 2));
    }
    PrivKey k = Ed25519.fromSeedNumber(5);
    String me = PeerId.fromPublicKey(k.publicKey()).toBase58();
    Hlc t = new Hlc(1_767_225_600_000L, 3);
    SignedDelta d1 = SignedDelta.sign(k, "run", 7, t, "members/" + me, LwwRegister.of(t, me, Bytes.utf8("hello")));
    SignedDelta d2 = SignedDelta.sign(k, "run", 7, t, "members/" + me, LwwRegister.of(t, me, Bytes.utf8("other")));
    write(root.resolve("signedDelta"), "lww", d1.encoded());
    write(root.resolve("signedDelta"), "truncated", Arrays.copyOf(d1.encoded(), 40));
    ReplicaDigest digest = new ReplicaDigest(new byte[32], List.of(new ReplicaDigest.Writer(PeerId.fromPublicKey(k.publicKey()), 7, List.of(9L, 12L), new byte[32])));
    write(root.resolve("syncFrame"), "digest", SyncCodec.encode(new SyncMessage.Digest(digest)));
    write(root.resolve("syncFrame"), "deltas", SyncCodec.encode(new SyncMessage.Deltas(List.of(d1.encoded(), d2.encoded()))));
    write(root.resolve("syncFrame"), "cover", SyncCodec.encode(new SyncMessage.Cover(Map.of(PeerId.fromPublicKey(k.publicKey()), 12L))));
    write(root.resolve("syncFrame"), "done", SyncCodec.encode(new SyncMessage.Done()));
    write(root.resolve("evidence"), "equivocation", new Equivocation(d1, d2).encode().toByteArray());
    write(root.resolve("evidence"), "quorum", QuorumCertificate.sign("seal/1", Bytes.utf8("digest"), List.of(k, Ed25519.fromSeedNumber(6))).encode().toByteArray());
  }

  private static void write(Path dir, String name, byte[] b) throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), b);
  }
}
