package dev.weft.p2p.protocol.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.protocol.io.StubStream;
import dev.weft.p2p.time.SimScheduler;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * Arbitrary request bytes in arbitrary chunks: the perf server either sends exactly the size in the
 * 8-byte header (when it is within its limit) or resets the stream; nothing escapes.
 */
class PerfHandlerFuzzTest {
  static final long MAX = 1 << 20;

  @FuzzTest(maxDuration = "60s")
  void arbitraryRequests(FuzzedDataProvider data) {
    SimScheduler sim = new SimScheduler(1);
    StubStream stream = new StubStream();
    PerfHandler h = new PerfHandler(sim, MAX, stream);
    byte[] first8 = new byte[8];
    int seen = 0;
    while (data.remainingBytes() > 0) {
      byte[] chunk = data.consumeBytes(data.consumeInt(1, 32));
      for (int i = 0; i < chunk.length && seen < 8; i++) first8[seen++] = chunk[i];
      h.onData(stream, Unpooled.wrappedBuffer(chunk));
    }
    h.onRemoteClosed(stream);
    sim.runUntilIdle(100_000);
    long asked = ByteBuffer.wrap(first8).getLong();
    if (seen == 8 && asked >= 0 && asked <= MAX) {
      assertThat(stream.reset).isFalse();
      assertThat(stream.written).isEqualTo(asked);
    } else {
      assertThat(stream.reset).isTrue();
      assertThat(stream.written).isZero();
    }
    h.onClosed(stream, null);
  }
}
