package dev.weft.node.train.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.train.GptConfig;
import dev.weft.node.train.MlpConfig;
import dev.weft.node.train.diloco.OuterConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCodecTest {
  static final GptConfig GPT = new GptConfig("c", 1, 16, 2, 8);

  static Checkpoint sample() {
    float[] theta = GPT.initialParameters(1);
    float[] mom = new float[theta.length];
    for (int i = 0; i < mom.length; i++) mom[i] = i * 1e-4f;
    return new Checkpoint(GPT, 7, 50, theta, OuterConfig.diloco(), mom);
  }

  @Test void roundTripsExactlyThroughAFile(@TempDir Path dir) throws IOException {
    Checkpoint c = sample();
    Path f = dir.resolve("ckpt.safetensors");
    CheckpointFiles.write(f, c);
    Checkpoint back = CheckpointFiles.read(f);
    assertThat(back.model()).isEqualTo(GPT);
    assertThat(back.round()).isEqualTo(7);
    assertThat(back.innerStepsPerRound()).isEqualTo(50);
    assertThat(back.outer()).isEqualTo(OuterConfig.diloco());
    assertThat(back.theta()).containsExactly(c.theta());
    assertThat(back.outerMomentum()).containsExactly(c.outerMomentum());
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(f); // no temporary left behind
    }
  }

  @Test void isSafetensorsShaped() {
    byte[] b = CheckpointCodec.encode(sample());
    long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(n % 8).isZero();
    String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
    assertThat(header).startsWith("{\"wte\":{\"dtype\":\"F32\",\"shape\":[256,16],\"data_offsets\":[0,16384]}");
    assertThat(header).contains("\"__metadata__\":{\"format\":\"weft-checkpoint/1\"");
    assertThat(b.length - 8 - n).isEqualTo(8L * GPT.layout().size());
  }

  @Test void truncatedFilesAreRejectedAtEveryLength() {
    byte[] b = CheckpointCodec.encode(sample());
    for (int len : new int[] {0, 7, 8, 20, 200, b.length / 2, b.length - 4, b.length - 1}) {
      assertThatThrownBy(() -> CheckpointCodec.decode(Arrays.copyOf(b, len))).as("length %d", len)
          .isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("truncated");
    }
  }

  @Test void flippedDataBitIsCaughtByTheHash() {
    byte[] b = CheckpointCodec.encode(sample());
    b[b.length - 5] ^= 1;
    assertThatThrownBy(() -> CheckpointCodec.decode(b)).isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("sha256");
    byte[] c = CheckpointCodec.encode(sample());
    c[c.length - 4 * 2 * GPT.layout().size() + 3] ^= 0x10;
    assertThatThrownBy(() -> CheckpointCodec.decode(c)).hasMessageContaining("θ does not match its sha256");
  }

  @Test void malformedHeadersAreRejected() {
    assertThatThrownBy(() -> CheckpointCodec.decode(withHeader("{not json"))).isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("JSON");
    assertThatThrownBy(() -> CheckpointCodec.decode(withHeader("[1,2]"))).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> CheckpointCodec.decode(withHeader("{}"))).hasMessageContaining("__metadata__");
    assertThatThrownBy(() -> CheckpointCodec.decode(withHeader("{\"__metadata__\":{\"format\":\"other\"}}"))).hasMessageContaining("not a weft-checkpoint/1");
    byte[] huge = new byte[16];
    ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L);
    assertThatThrownBy(() -> CheckpointCodec.decode(huge)).hasMessageContaining("out of range");
  }

  @Test void shapeOrModelMismatchIsRejected() {
    byte[] b = CheckpointCodec.encode(sample());
    String s = new String(b, StandardCharsets.ISO_8859_1).replace("\"shape\":[256,16]", "\"shape\":[16,256]");
    assertThatThrownBy(() -> CheckpointCodec.decode(s.getBytes(StandardCharsets.ISO_8859_1))).hasMessageContaining("wte: wrong shape");
    String m = new String(b, StandardCharsets.ISO_8859_1).replace("gpt:c:1:16:2:8", "gpt:c:1:16:2:9");
    assertThatThrownBy(() -> CheckpointCodec.decode(m.getBytes(StandardCharsets.ISO_8859_1))).isInstanceOf(CorruptCheckpointException.class);
  }

  @Test void nonFiniteValuesAreRejectedEvenWithAMatchingHash() {
    float[] theta = new MlpConfig("m", 1, 2).initialParameters(1);
    theta[3] = Float.NaN;
    MlpConfig mlp = new MlpConfig("m", 1, 2);
    byte[] b = CheckpointCodec.encode(new Checkpoint(mlp, 0, 1, theta, OuterConfig.diloco(), new float[theta.length]));
    assertThatThrownBy(() -> CheckpointCodec.decode(b)).hasMessageContaining("non-finite value at 3");
  }

  static byte[] withHeader(String json) {
    byte[] j = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + j.length).order(ByteOrder.LITTLE_ENDIAN).putLong(j.length).put(j).array();
  }
}
