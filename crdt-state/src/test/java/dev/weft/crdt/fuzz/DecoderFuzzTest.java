package dev.weft.crdt.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.crdt.codec.DecodeLimits;
import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.delta.Equivocation;
import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.sync.SyncCodec;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.sync.SyncMessage;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.CrdtCodec;

/**
 * Fuzzes every decoder of the module: any input either decodes or fails with
 * {@link MalformedEncodingException} (never another exception, never a hang), and what decodes
 * is canonical: it re-encodes to exactly the input. Replays its seed corpus
 * ({@code DecoderFuzzTestInputs/<method>/}, written by {@link CorpusWriter}) as a plain test in CI.
 */
class DecoderFuzzTest {
  private static final SyncConfig SYNC = new SyncConfig(64 << 10, 1 << 20, 64, 4, 64, 64, 1000, 1000);

  @FuzzTest(maxDuration = "30s")
  void crdt(byte[] input) {
    Crdt c;
    try {
      c = CrdtCodec.decode(input, DecodeLimits.delta());
    } catch (MalformedEncodingException expected) {
      return;
    }
    assertThat(CrdtCodec.encode(c)).isEqualTo(input);
    assertThat(c.merge(c)).isEqualTo(c);
  }

  @FuzzTest(maxDuration = "30s")
  void signedDelta(byte[] input) throws Exception {
    SignedDelta d;
    try {
      d = SignedDelta.decode(input, DecodeLimits.delta());
    } catch (MalformedEncodingException expected) {
      return;
    }
    assertThat(d.encoded()).isEqualTo(input);
    assertThat(CrdtCodec.encode(d.value())).isEqualTo(CrdtCodec.encode(CrdtCodec.decode(CrdtCodec.encode(d.value()), DecodeLimits.delta())));
    d.signatureValid();
  }

  @FuzzTest(maxDuration = "30s")
  void syncFrame(byte[] input) {
    SyncMessage m;
    try {
      m = SyncCodec.decode(input, SYNC);
    } catch (MalformedEncodingException expected) {
      return;
    }
    assertThat(SyncCodec.encode(m)).isEqualTo(input);
  }

  @FuzzTest(maxDuration = "30s")
  void evidence(byte[] input) {
    try {
      Equivocation e = Equivocation.decode(Bytes.of(input), DecodeLimits.delta());
      assertThat(e.encode()).isEqualTo(Bytes.of(input));
    } catch (MalformedEncodingException expected) {
      // refused cleanly
    }
    try {
      QuorumCertificate q = QuorumCertificate.decode(Bytes.of(input), DecodeLimits.delta());
      assertThat(q.encode()).isEqualTo(Bytes.of(input));
    } catch (MalformedEncodingException expected) {
      // refused cleanly
    }
  }
}
