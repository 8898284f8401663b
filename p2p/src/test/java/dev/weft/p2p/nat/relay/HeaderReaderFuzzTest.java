package dev.weft.p2p.nat.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.fuzz.Chunks;
import dev.weft.p2p.protocol.io.StubStream;
import dev.weft.p2p.time.SimScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Arbitrary bytes, split as a network would, into the reader that heads every hop and stop
 * stream: it ends exactly once — a body within the limit plus the exact bytes that followed it,
 * or a failure — never throws, and leaks nothing (the rest buffer is released here; paranoid leak
 * detection runs in the tests).
 */
class HeaderReaderFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void read(byte[] data) {
    SimScheduler scheduler = new SimScheduler(1);
    StubStream stream = new StubStream();
    List<Object> ends = new ArrayList<>();
    byte[][] got = new byte[2][];
    HeaderReader.read(stream, RelayCodec.MAX_MESSAGE_BYTES, 1_000, scheduler, new HeaderReader.Listener() {
      @Override public void onMessage(Stream s, byte[] body, ByteBuf rest) {
        ends.add("message");
        got[0] = body;
        got[1] = new byte[rest == null ? 0 : rest.readableBytes()];
        if (rest != null) {
          rest.readBytes(got[1]);
          rest.release();
        }
      }

      @Override public void onFailed(Stream s, Throwable cause) {
        ends.add(cause);
      }
    });
    HeaderReader reader = (HeaderReader) stream.handler;
    List<byte[]> chunks = Chunks.split(data, 64);
    int[] chunkEnds = new int[chunks.size()];
    int offset = 0;
    for (int i = 0; i < chunks.size(); i++) {
      ByteBuf b = Unpooled.wrappedBuffer(chunks.get(i));
      reader.onData(stream, b);
      b.release();
      offset += chunks.get(i).length;
      chunkEnds[i] = offset;
    }
    reader.onRemoteClosed(stream);
    scheduler.runUntil(10_000);
    assertThat(ends).hasSize(1);
    byte[][] expected = expected(data, chunkEnds);
    if (expected == null) {
      assertThat(ends.get(0)).isInstanceOf(Throwable.class);
      return;
    }
    assertThat(ends.get(0)).isEqualTo("message");
    assertThat(got[0]).isEqualTo(expected[0]);
    assertThat(got[1]).as("the rest is exactly what followed the message in its last chunk").isEqualTo(expected[1]);
    assertThat(stream.detached).as("the reader detaches once it has its message").isTrue();
  }

  /** The body and the rest the reader should yield, or null if it should fail. */
  private static byte[][] expected(byte[] data, int[] chunkEnds) {
    int p = 0;
    while (p < data.length && p < 5 && (data[p] & 0x80) != 0) p++;
    if (p >= data.length || p >= 5) return null;
    long len;
    try {
      len = dev.weft.p2p.multiformats.Varint.decode(data, 0).value();
    } catch (IllegalArgumentException e) {
      return null;
    }
    long end = p + 1 + len;
    if (len > RelayCodec.MAX_MESSAGE_BYTES || end > data.length) return null;
    int chunkEnd = 0;
    for (int e : chunkEnds) {
      if (e >= end) {
        chunkEnd = e;
        break;
      }
    }
    return new byte[][] {java.util.Arrays.copyOfRange(data, p + 1, (int) end), java.util.Arrays.copyOfRange(data, (int) end, chunkEnd)};
  }
}
