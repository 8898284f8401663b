package dev.weft.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultistreamCodecTest {
  @Test void naIsEncodedAsInTheSpec() {
    ByteBuf buf = Unpooled.buffer();
    MultistreamCodec.encode("na", buf);
    assertThat(ByteBufUtil.hexDump(buf)).isEqualTo("036e610a");
    buf.release();
  }

  @Test void roundTripsSeveralMessagesAndWaitsForIncompleteOnes() throws Exception {
    ByteBuf buf = MultistreamCodec.encode(Unpooled.buffer().alloc(), List.of(MultistreamCodec.PROTOCOL_ID, "/noise"));
    ByteBuf partial = buf.slice(0, buf.readableBytes() - 1);
    assertThat(MultistreamCodec.decode(partial)).isEqualTo(MultistreamCodec.PROTOCOL_ID);
    int before = partial.readerIndex();
    assertThat(MultistreamCodec.decode(partial)).isNull();
    assertThat(partial.readerIndex()).isEqualTo(before);
    assertThat(MultistreamCodec.decode(buf)).isEqualTo(MultistreamCodec.PROTOCOL_ID);
    assertThat(MultistreamCodec.decode(buf)).isEqualTo("/noise");
    assertThat(buf.isReadable()).isFalse();
    buf.release();
  }

  @Test void rejectsMissingNewline() {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {3, 'n', 'a', 'x'});
    assertThatThrownBy(() -> MultistreamCodec.decode(buf)).isInstanceOf(MultistreamException.class).hasMessageContaining("newline");
  }

  @Test void rejectsOversizedLengthBeforeTheBytesArrive() {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0x08}); // 1025
    assertThatThrownBy(() -> MultistreamCodec.decode(buf)).isInstanceOf(MultistreamException.class).hasMessageContaining("exceeds");
    ByteBuf huge = Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
    assertThatThrownBy(() -> MultistreamCodec.decode(huge)).isInstanceOf(MultistreamException.class);
  }

  @Test void rejectsEmptyAndNonMinimalAndInvalidUtf8() {
    assertThatThrownBy(() -> MultistreamCodec.decode(Unpooled.wrappedBuffer(new byte[] {0})))
        .isInstanceOf(MultistreamException.class);
    assertThatThrownBy(() -> MultistreamCodec.decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0x83, 0x00, 'n', 'a', '\n'})))
        .isInstanceOf(MultistreamException.class);
    assertThatThrownBy(() -> MultistreamCodec.decode(Unpooled.wrappedBuffer(new byte[] {2, (byte) 0xC3, '\n'})))
        .isInstanceOf(MultistreamException.class).hasMessageContaining("UTF-8");
  }

  @Test void refusesToEncodeOversizedMessages() {
    ByteBuf buf = Unpooled.buffer();
    assertThatThrownBy(() -> MultistreamCodec.encode("x".repeat(MultistreamCodec.MAX_MESSAGE_LENGTH), buf))
        .isInstanceOf(IllegalArgumentException.class);
    buf.release();
  }
}
