package dev.weft.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RpcFrameDecoderTest {
  @Test
  void reassemblesFramesSplitAnywhere() throws Exception {
    Random r = new Random(11);
    List<byte[]> sent = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int i = 0; i < 50; i++) {
      byte[] body = new byte[r.nextInt(i % 10 == 0 ? 300 : 20_000)];
      r.nextBytes(body);
      sent.add(body);
      wire.writeBytes(RpcFrameDecoder.frame(body));
    }
    byte[] all = wire.toByteArray();
    RpcFrameDecoder d = new RpcFrameDecoder(1 << 16);
    List<byte[]> got = new ArrayList<>();
    int i = 0;
    while (i < all.length) {
      int n = Math.min(all.length - i, 1 + r.nextInt(3000));
      ByteBuf chunk = Unpooled.wrappedBuffer(all, i, n);
      got.addAll(d.feed(chunk));
      assertThat(chunk.isReadable()).isFalse();
      i += n;
    }
    assertThat(got).hasSize(sent.size());
    for (int k = 0; k < sent.size(); k++) assertThat(got.get(k)).isEqualTo(sent.get(k));
    assertThat(d.hasPartialFrame()).isFalse();
  }

  @Test
  void rejectsOversizedAndBadPrefixesBeforeBuffering() throws Exception {
    RpcFrameDecoder d = new RpcFrameDecoder(1000);
    assertThatThrownBy(() -> d.feed(new byte[] {(byte) 0xE9, 0x07}, 0, 2)).hasMessageContaining("1001 bytes exceeds 1000");
    assertThatThrownBy(() -> new RpcFrameDecoder(1000).feed(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, 0, 6))
        .hasMessageContaining("prefix longer");
    assertThatThrownBy(() -> new RpcFrameDecoder(1000).feed(new byte[] {(byte) 0x81, 0x00}, 0, 2)).hasMessageContaining("non-minimal");
    RpcFrameDecoder e = new RpcFrameDecoder(1000);
    assertThat(e.feed(new byte[] {0x00, 0x03, 1, 2}, 0, 4)).singleElement().satisfies(f -> assertThat(f).isEmpty());
    assertThat(e.hasPartialFrame()).isTrue();
    assertThat(e.feed(new byte[] {3}, 0, 1)).singleElement().satisfies(f -> assertThat(f).containsExactly(1, 2, 3));
  }
}
