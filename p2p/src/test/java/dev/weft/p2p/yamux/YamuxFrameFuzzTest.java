package dev.weft.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.fuzz.Chunks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Yamux from untrusted bytes: the frame reader throws only {@link YamuxException} and hands on
 * exactly the payload bytes its headers announce, however the input is split; a session fed
 * anything closes or carries on, without an escaping exception or a leak.
 *
 * <p>Inputs are raw wire bytes, split into chunks by {@link Chunks} (seeded by the input). The seed
 * corpus ({@code YamuxFrameFuzzTestInputs/}) holds real client-to-server byte streams of Yamux
 * sessions, written by {@link dev.weft.p2p.fuzz.FuzzSeedWriter}.
 */
class YamuxFrameFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void reader(byte[] data) {
    long[] announced = {0};
    long[] delivered = {0};
    int[] frames = {0};
    YamuxFrameReader reader = new YamuxFrameReader(1 << 20, new YamuxFrameReader.Listener() {
      @Override public void onHeader(YamuxFrame.Header h) {
        if (h.type() == YamuxFrame.TYPE_DATA) announced[0] += h.length();
      }

      @Override public void onData(ByteBuf chunk) {
        delivered[0] += chunk.readableBytes();
      }

      @Override public void onFrameEnd(YamuxFrame.Header h) {
        frames[0]++;
        assertThat(delivered[0]).isEqualTo(announced[0]);
      }
    });
    try {
      for (byte[] chunk : Chunks.split(data, 40)) reader.read(Unpooled.wrappedBuffer(chunk));
    } catch (YamuxException expected) {
      return;
    }
    assertThat(delivered[0]).isLessThanOrEqualTo(announced[0]);
    // Every complete header consumed 12 bytes plus its data; nothing was invented.
    assertThat(12L * frames[0] + delivered[0]).isLessThanOrEqualTo(data.length);
  }

  @FuzzTest(maxDuration = "30s")
  void session(byte[] data) {
    try (YamuxPair p = new YamuxPair(YamuxConfig.DEFAULT.withMaxStreams(4), YamuxConfig.DEFAULT.withMaxStreams(4))) {
      p.serverHandlers.put("/echo", s -> s.setHandler(YamuxSessionTest.ECHO));
      for (byte[] chunk : Chunks.split(data, 64)) {
        if (!p.serverChannel.isOpen()) break;
        p.serverChannel.writeInbound(Unpooled.wrappedBuffer(chunk));
        p.serverChannel.runPendingTasks();
      }
      p.serverChannel.checkException();
    }
  }
}
