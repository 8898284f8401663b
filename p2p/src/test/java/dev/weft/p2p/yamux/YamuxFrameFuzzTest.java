package dev.weft.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Yamux from untrusted bytes: the frame reader throws only {@link YamuxException} and hands on
 * exactly the payload bytes its headers announce, however the input is split; a session fed
 * anything closes or carries on, without an escaping exception or a leak.
 */
class YamuxFrameFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void reader(FuzzedDataProvider data) {
    long[] announced = {0};
    long[] delivered = {0};
    YamuxFrameReader reader = new YamuxFrameReader(1 << 20, new YamuxFrameReader.Listener() {
      @Override public void onHeader(YamuxFrame.Header h) {
        if (h.type() == YamuxFrame.TYPE_DATA) announced[0] += h.length();
      }

      @Override public void onData(ByteBuf chunk) {
        delivered[0] += chunk.readableBytes();
      }

      @Override public void onFrameEnd(YamuxFrame.Header h) {
        assertThat(delivered[0]).isEqualTo(announced[0]);
      }
    });
    try {
      while (data.remainingBytes() > 0) {
        reader.read(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(1, 40))));
      }
    } catch (YamuxException expected) {
      return;
    }
    assertThat(delivered[0]).isLessThanOrEqualTo(announced[0]);
  }

  @FuzzTest(maxDuration = "30s")
  void session(FuzzedDataProvider data) {
    try (YamuxPair p = new YamuxPair(YamuxConfig.DEFAULT.withMaxStreams(4), YamuxConfig.DEFAULT.withMaxStreams(4))) {
      p.serverHandlers.put("/echo", s -> s.setHandler(YamuxSessionTest.ECHO));
      while (data.remainingBytes() > 0 && p.serverChannel.isOpen()) {
        p.serverChannel.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(1, 64))));
        p.serverChannel.runPendingTasks();
      }
      p.serverChannel.checkException();
    }
  }
}
