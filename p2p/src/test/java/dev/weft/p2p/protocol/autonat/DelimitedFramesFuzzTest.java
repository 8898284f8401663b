package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.fuzz.Chunks;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.util.List;

/**
 * Any byte stream, in any chunking: frames never exceed the limit, and the same bytes give the
 * same frames however they were split. Seeds: real dial-request streams.
 */
class DelimitedFramesFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void arbitraryChunks(byte[] data) {
    List<byte[]> whole;
    try {
      whole = new DelimitedFrames(AutonatLimits.MAX_MESSAGE_BYTES).feed(data, 0, data.length);
    } catch (ProtocolViolationException e) {
      whole = null;
    }
    DelimitedFrames f = new DelimitedFrames(AutonatLimits.MAX_MESSAGE_BYTES);
    java.util.ArrayList<byte[]> pieces = new java.util.ArrayList<>();
    boolean failed = false;
    try {
      for (byte[] c : Chunks.split(data, 64)) pieces.addAll(f.feed(c, 0, c.length));
    } catch (ProtocolViolationException e) {
      failed = true;
    }
    assertThat(failed).isEqualTo(whole == null);
    if (whole != null) {
      assertThat(pieces).hasSameSizeAs(whole);
      for (int i = 0; i < whole.size(); i++) assertThat(pieces.get(i)).isEqualTo(whole.get(i)).hasSizeLessThanOrEqualTo(AutonatLimits.MAX_MESSAGE_BYTES);
    }
  }
}
