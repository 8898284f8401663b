package dev.weft.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the RPC decoder: any input either decodes or fails with {@link MalformedRpcException}
 * (never another exception, never a hang), and what decodes re-encodes to bytes that decode to the
 * same RPC. Replays its seed corpus (in {@code RpcCodecFuzzTestInputs}) as a plain test in CI.
 */
class RpcCodecFuzzTest {
  private static final RpcLimits LIMITS = new RpcLimits(64 << 10, 16 << 10, 32, 32, 32, 64, 64, 64, 8, 256, 64, 256);

  @FuzzTest(maxDuration = "30s")
  void decodeNeverFailsUnexpectedly(byte[] input) throws Exception {
    Rpc rpc;
    try {
      rpc = RpcCodec.decode(input, LIMITS);
    } catch (MalformedRpcException expected) {
      return;
    }
    byte[] again = RpcCodec.encode(rpc);
    assertThat(RpcCodec.rpcSize(rpc)).isEqualTo(again.length);
    assertThat(RpcCodec.decode(again, RpcLimits.defaults())).isEqualTo(rpc);
  }
}
