package dev.weft.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The test-only pattern: chunks at any offset continue the sequence, and corruption is caught. */
class PatternProtocolTest {
  @Test void chunksContinueTheSequenceAndTheCheckerCatchesCorruption() throws Exception {
    PatternProtocol.Checker checker = new PatternProtocol.Checker();
    long offset = 0;
    for (int len : new int[] {1, 250, 251, 65536, 7}) {
      ByteBuf b = PatternProtocol.chunk(offset, len);
      assertThat(b.readableBytes()).isEqualTo(len);
      checker.check(b);
      offset += len;
    }
    assertThat(checker.seen).isEqualTo(offset);
    ByteBuf skipped = PatternProtocol.chunk(offset + 65536, 10);
    assertThatThrownBy(() -> checker.check(skipped)).hasMessageContaining("mismatch at byte " + offset);
    assertThatThrownBy(() -> checker.check(Unpooled.wrappedBuffer(new byte[] {(byte) 200}))).hasMessageContaining("mismatch");
  }
}
