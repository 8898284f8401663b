package dev.weft.node.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.train.Batch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {
  static final byte[] CORPUS = SyntheticCorpus.generate(1, 100_000);
  static final ShardedDataset DS = ShardedDataset.split(CORPUS, 4096, 128);

  @Test void syntheticCorpusIsDeterministicAsciiProse() {
    assertThat(SyntheticCorpus.generate(1, 100_000)).isEqualTo(CORPUS);
    assertThat(SyntheticCorpus.generate(2, 100_000)).isNotEqualTo(CORPUS);
    String text = new String(CORPUS, StandardCharsets.US_ASCII);
    assertThat(text).contains(" make ").contains("the ").contains(".\n");
    assertThat(CORPUS.length).isBetween(50_000, 100_000);
    for (byte b : CORPUS) assertThat(b).isBetween((byte) 10, (byte) 126);
  }

  @Test void shardsCoverTheCorpusInOrderWithTenPercentHeldOut() {
    assertThat(DS.train().size() + DS.validation().size()).isEqualTo((CORPUS.length + 4095) / 4096 - (CORPUS.length % 4096 < 128 && CORPUS.length % 4096 != 0 ? 1 : 0));
    assertThat(DS.validation().size()).isEqualTo((DS.train().size() + DS.validation().size()) / 10);
    long total = DS.trainBytes() + DS.validation().stream().mapToLong(Shard::length).sum();
    assertThat(total).isEqualTo(CORPUS.length);
    Set<ShardId> ids = new HashSet<>();
    for (Shard s : DS.train()) ids.add(s.id());
    for (Shard s : DS.validation()) assertThat(ids).doesNotContain(s.id());
  }

  @Test void shardIdIsSha256MultihashAndCorruptShardIsRejected() {
    Shard s = DS.train().get(0);
    assertThat(s.id().hex()).startsWith("1220").hasSize(68);
    assertThat(ShardId.parseHex(s.id().hex())).isEqualTo(s.id());
    byte[] tampered = s.data().clone();
    tampered[10] ^= 1;
    assertThatThrownBy(() -> new Shard(s.id(), tampered)).isInstanceOf(CorruptDataException.class).hasMessageContaining("does not match");
  }

  @Test void assignmentIsDeterministicCoversEveryShardAndMovesLittleOnChurn() {
    List<String> four = List.of("a", "b", "c", "d");
    List<Shard> all = new ArrayList<>();
    for (String w : four) {
      List<Shard> mine = ShardAssignment.shardsFor(w, four, DS.train());
      assertThat(mine).isEqualTo(ShardAssignment.shardsFor(w, List.of("d", "c", "b", "a"), DS.train()));
      all.addAll(mine);
    }
    assertThat(all).hasSameSizeAs(DS.train()).containsExactlyInAnyOrderElementsOf(DS.train());
    // d leaves: a, b and c keep every shard they had
    List<String> three = List.of("a", "b", "c");
    for (String w : three) assertThat(ShardAssignment.shardsFor(w, three, DS.train())).containsAll(ShardAssignment.shardsFor(w, four, DS.train()));
    assertThatThrownBy(() -> ShardAssignment.shardsFor("z", four, DS.train())).hasMessageContaining("unknown worker");
  }

  @Test void workerWithoutAShardStillGetsOne() {
    List<Shard> two = DS.train().subList(0, 2);
    List<String> many = List.of("a", "b", "c", "d", "e", "f");
    for (String w : many) assertThat(ShardAssignment.shardsFor(w, many, two)).isNotEmpty();
  }

  @Test void windowsAreRealSubstringsAndDeterministic() {
    WindowSampler a = new WindowSampler(DS.train(), 8, 32, 5), b = new WindowSampler(DS.train(), 8, 32, 5);
    String text = new String(CORPUS, StandardCharsets.US_ASCII);
    for (int i = 0; i < 20; i++) {
      Batch x = a.next(), y = b.next();
      assertThat(x.inputs()).isEqualTo(y.inputs());
      for (int r = 0; r < 8; r++) {
        char[] win = new char[33];
        for (int t = 0; t < 32; t++) win[t] = (char) x.inputs()[r * 32 + t];
        win[32] = (char) x.targets()[r * 32 + 31];
        assertThat(text).contains(new String(win));
        assertThat(x.targets()[r * 32]).isEqualTo(x.inputs()[r * 32 + 1]);
      }
    }
  }

  @Test void evaluationBatchesAreFixed() {
    List<Batch> v1 = WindowSampler.evaluationBatches(DS.validation(), 4, 32, 3), v2 = WindowSampler.evaluationBatches(DS.validation(), 4, 32, 3);
    assertThat(v1).hasSize(3);
    for (int i = 0; i < 3; i++) assertThat(v1.get(i).inputs()).isEqualTo(v2.get(i).inputs());
  }

  @Test void badDataFilesAreRejectedCleanly(@TempDir Path dir) throws IOException {
    Path bin = dir.resolve("bin");
    byte[] b = new byte[4096];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 37);
    Files.write(bin, b);
    assertThatThrownBy(() -> ByteCorpus.read(bin)).isInstanceOf(CorruptDataException.class).hasMessageContaining("not valid UTF-8");
    Path small = dir.resolve("small");
    Files.writeString(small, "hello");
    assertThatThrownBy(() -> ByteCorpus.read(small)).isInstanceOf(CorruptDataException.class).hasMessageContaining("need at least");
    Path ok = dir.resolve("ok.txt");
    Files.writeString(ok, "héllo wörld, ünïcode is fine. ".repeat(100));
    assertThat(ByteCorpus.read(ok)).hasSize((int) Files.size(ok));
    assertThatThrownBy(() -> ShardedDataset.split(new byte[1500], 4096, 64)).isInstanceOf(CorruptDataException.class);
  }
}
