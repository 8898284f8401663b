package dev.weft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.train.ModelSpecs;
import dev.weft.node.train.checkpoint.Checkpoint;
import dev.weft.node.train.diloco.OuterConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertifiedCheckpointTest {
  static CertifiedCheckpoint sample() {
    var model = ModelSpecs.parse("mlp:t:2:4");
    float[] theta = model.initialParameters(5);
    float[] momentum = new float[theta.length];
    momentum[3] = 0.25f;
    Checkpoint c = new Checkpoint(model, 7, 20, theta, new OuterConfig(0.7, 0.9, true), momentum);
    byte[] k = new byte[PeerKey.BYTES];
    k[0] = 9;
    return new CertifiedCheckpoint(c, 12_345, Digest.of(new byte[] {1}), List.of(new PeerKey(k)));
  }

  @Test void roundTripsAndKeepsTheCertifiedRoot() {
    CertifiedCheckpoint c = sample();
    CertifiedCheckpoint back = CertifiedCheckpoint.decode(c.encode());
    assertThat(back.round()).isEqualTo(7);
    assertThat(back.tokens()).isEqualTo(12_345);
    assertThat(back.seed()).isEqualTo(c.seed());
    assertThat(back.banned()).isEqualTo(c.banned());
    assertThat(back.state().root()).isEqualTo(c.state().root());
  }

  @Test void theRootCoversTheCountersNotOnlyTheta() {
    CertifiedCheckpoint c = sample();
    CertifiedCheckpoint otherTokens = new CertifiedCheckpoint(c.checkpoint(), c.tokens() + 1, c.seed(), c.banned());
    assertThat(otherTokens.state().root()).isNotEqualTo(c.state().root());
  }

  @Test void truncatedOrCorruptBytesAreRejectedWithAReason() {
    byte[] ok = sample().encode();
    assertThatThrownBy(() -> CertifiedCheckpoint.decode(Arrays.copyOf(ok, 20))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
    byte[] badMagic = ok.clone();
    badMagic[0] ^= 1;
    assertThatThrownBy(() -> CertifiedCheckpoint.decode(badMagic)).hasMessageContaining("magic");
    byte[] hugeCount = ok.clone();
    hugeCount[4 + 8 + 32] = 0x7f; // banned count ~2^31
    assertThatThrownBy(() -> CertifiedCheckpoint.decode(hugeCount)).hasMessageContaining("banned count");
    assertThatThrownBy(() -> CertifiedCheckpoint.decode(Arrays.copyOf(ok, ok.length - 10))).isInstanceOf(IllegalArgumentException.class);
  }
}
