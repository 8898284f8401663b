package dev.weft.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamuxFrameTest {
  @Test void headerLayoutIsBigEndianAsInTheSpec() throws Exception {
    ByteBuf b = Unpooled.buffer();
    YamuxFrame.writeHeader(b, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN | YamuxFrame.FLAG_FIN, 0xFFFF_FFFEL, 0x0004_0000L);
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("00" + "01" + "0005" + "fffffffe" + "00040000");
    YamuxFrame.Header h = YamuxFrame.readHeader(b);
    assertThat(h).isEqualTo(new YamuxFrame.Header(YamuxFrame.TYPE_WINDOW_UPDATE, 5, 0xFFFF_FFFEL, 0x40000));
    assertThat(h.has(YamuxFrame.FLAG_SYN)).isTrue();
    assertThat(h.has(YamuxFrame.FLAG_RST)).isFalse();
    b.release();
  }

  @Test void unknownFlagsAreRejected() {
    ByteBuf b = Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 0});
    assertThatThrownBy(() -> YamuxFrame.readHeader(b)).isInstanceOf(YamuxException.class).hasMessageContaining("flags");
  }

  @Test void readerSplitsPayloadsAcrossReadsWithoutBufferingThem() throws Exception {
    ByteBuf wire = Unpooled.buffer();
    YamuxFrame.writeHeader(wire, YamuxFrame.TYPE_DATA, 0, 1, 5);
    wire.writeBytes("hello".getBytes());
    YamuxFrame.writeHeader(wire, YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, 42);
    List<String> events = new ArrayList<>();
    YamuxFrameReader reader = new YamuxFrameReader(1024, new YamuxFrameReader.Listener() {
      @Override public void onHeader(YamuxFrame.Header h) {
        events.add("header " + h);
      }

      @Override public void onData(ByteBuf chunk) {
        events.add("data " + chunk.toString(java.nio.charset.StandardCharsets.US_ASCII));
      }

      @Override public void onFrameEnd(YamuxFrame.Header h) {
        events.add("end");
      }
    });
    // 7 bytes, then 8 (rest of header + "he"), then the rest.
    reader.read(wire.readSlice(7));
    reader.read(wire.readSlice(7));
    reader.read(wire);
    assertThat(events).containsExactly(
        "header DATA(stream=1, flags=0x0, length=5)", "data he", "data llo", "end",
        "header PING(stream=0, flags=0x1, length=42)", "end");
    wire.release();
  }

  @Test void oversizedDataFrameIsRejectedFromItsHeader() {
    ByteBuf wire = Unpooled.buffer();
    YamuxFrame.writeHeader(wire, YamuxFrame.TYPE_DATA, 0, 1, 1025);
    YamuxFrameReader reader = new YamuxFrameReader(1024, new YamuxFrameReader.Listener() {
      @Override public void onHeader(YamuxFrame.Header h) {}

      @Override public void onData(ByteBuf chunk) {}

      @Override public void onFrameEnd(YamuxFrame.Header h) {}
    });
    assertThatThrownBy(() -> reader.read(wire)).isInstanceOf(YamuxException.class).hasMessageContaining("exceeds");
    wire.release();
  }
}
