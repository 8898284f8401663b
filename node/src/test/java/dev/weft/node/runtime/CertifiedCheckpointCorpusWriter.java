package dev.weft.node.runtime;


import dev.weft.node.round.msg.*;
import dev.weft.node.train.*;
import dev.weft.node.train.checkpoint.Checkpoint;
import dev.weft.node.train.diloco.OuterConfig;
import java.nio.file.*;
import java.util.*;
/** Writes the fuzz seed corpus of {@link CertifiedCheckpointFuzzTest}: {@code java ... CertifiedCheckpointCorpusWriter <dir>}. */
final class CertifiedCheckpointCorpusWriter {
  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[0]); Files.createDirectories(dir);
    var model = ModelSpecs.parse("mlp:t:2:4");
    float[] theta = model.initialParameters(5);
    Checkpoint c = new Checkpoint(model, 7, 20, theta, new OuterConfig(0.7, 0.9, true), new float[theta.length]);
    byte[] k = new byte[32]; k[0] = 9;
    byte[] ok = new CertifiedCheckpoint(c, 123, Digest.of(new byte[]{1}), List.of(new PeerKey(k))).encode();
    byte[] none = new CertifiedCheckpoint(c, 0, Digest.of(new byte[]{2}), List.of()).encode();
    Files.write(dir.resolve("valid_one_ban"), ok);
    Files.write(dir.resolve("valid_no_ban"), none);
    Files.write(dir.resolve("truncated"), Arrays.copyOf(ok, ok.length / 2));
    Files.write(dir.resolve("header_only"), Arrays.copyOf(ok, 48));
    // WRC2: with a certificate (bytes the codec would refuse: the fuzzer mutates the framing around them).
    byte[] cert = new byte[200];
    for (int i = 0; i < cert.length; i++) cert[i] = (byte) (i * 7);
    Files.write(dir.resolve("valid_with_certificate"), new CertifiedCheckpoint(c, 5, Digest.of(new byte[]{3}), List.of(), cert).encode());
    System.out.println(ok.length);
  }
}
