package dev.weft.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/** Any byte stream, fed in any chunking, yields frames within the limit or a MalformedRpcException. */
class RpcFrameDecoderFuzzTest {
  private static final int MAX = 4096;

  @FuzzTest(maxDuration = "30s")
  void framesStayWithinTheLimit(FuzzedDataProvider in) {
    RpcFrameDecoder d = new RpcFrameDecoder(MAX);
    while (in.remainingBytes() > 0) {
      byte[] chunk = in.consumeBytes(1 + in.consumeInt(0, 512));
      List<byte[]> frames;
      try {
        frames = d.feed(chunk, 0, chunk.length);
      } catch (MalformedRpcException expected) {
        return;
      }
      for (byte[] f : frames) assertThat(f.length).isLessThanOrEqualTo(MAX);
    }
  }
}
