package dev.weft.p2p.protocol.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.time.SimScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletionException;

/**
 * Whatever bytes arrive, in whatever chunks, the reader either completes with a body within the
 * limit that matches the bytes after the prefix, fails with a protocol violation (and resets the
 * stream), or is still waiting. Nothing else escapes.
 */
class LengthPrefixedReaderFuzzTest {
  static final int LIMIT = 200;

  @FuzzTest(maxDuration = "60s")
  void arbitraryChunks(FuzzedDataProvider data) {
    StubStream stream = new StubStream();
    LengthPrefixedReader r = new LengthPrefixedReader(LIMIT, 1000, new SimScheduler(1), stream);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (data.remainingBytes() > 0 && !r.result().isDone()) {
      byte[] chunk = data.consumeBytes(data.consumeInt(1, 64));
      all.writeBytes(chunk);
      ByteBuf buf = Unpooled.wrappedBuffer(chunk);
      r.onData(stream, buf);
      assertThat(buf.refCnt()).isEqualTo(1);
    }
    if (!r.result().isDone()) return;
    try {
      byte[] body = r.result().join();
      assertThat(body.length).isLessThanOrEqualTo(LIMIT);
      byte[] sent = all.toByteArray();
      int prefix = 0;
      while ((sent[prefix] & 0x80) != 0) prefix++;
      prefix++;
      assertThat(java.util.Arrays.copyOfRange(sent, prefix, prefix + body.length)).isEqualTo(body);
      assertThat(stream.reset).isFalse();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(ProtocolViolationException.class);
      assertThat(stream.reset).isTrue();
    }
  }
}
