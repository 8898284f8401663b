package dev.weft.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.fuzz.Chunks;
import java.util.List;

/**
 * Any byte stream, fed in any chunking, yields frames within the limit or a
 * MalformedRpcException; and the frames of a stream are the same however it is chunked. Seeds are
 * real length-prefixed gossipsub RPC streams (subscriptions, signed messages, control), written by
 * {@link dev.weft.p2p.fuzz.FuzzSeedWriter}.
 */
class RpcFrameDecoderFuzzTest {
  private static final int MAX = 4096;

  @FuzzTest(maxDuration = "30s")
  void framesStayWithinTheLimit(byte[] wire) {
    List<byte[]> whole;
    try {
      whole = new RpcFrameDecoder(MAX).feed(wire, 0, wire.length);
    } catch (MalformedRpcException expected) {
      whole = null;
    }
    RpcFrameDecoder d = new RpcFrameDecoder(MAX);
    java.util.ArrayList<byte[]> chunked = new java.util.ArrayList<>();
    try {
      for (byte[] chunk : Chunks.split(wire, 512)) {
        List<byte[]> frames = d.feed(chunk, 0, chunk.length);
        for (byte[] f : frames) assertThat(f.length).isLessThanOrEqualTo(MAX);
        chunked.addAll(frames);
      }
    } catch (MalformedRpcException expected) {
      assertThat(whole).as("chunked feed failed where the whole feed succeeded").isNull();
      return;
    }
    assertThat(whole).isNotNull();
    assertThat(chunked).hasSameSizeAs(whole);
    for (int i = 0; i < whole.size(); i++) assertThat(chunked.get(i)).isEqualTo(whole.get(i));
  }
}
