package dev.weft.p2p.fuzz;

import dev.weft.p2p.multistream.MultistreamFuzzSeeds;
import dev.weft.p2p.noise.NoiseFuzzSeeds;
import dev.weft.p2p.pubsub.RpcFuzzSeeds;
import dev.weft.p2p.yamux.YamuxFuzzSeeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the checked-in seed corpora of p2p's fuzz tests from real sessions (Yamux, Noise,
 * multistream-select, gossipsub RPC framing), so that CI's replay starts from inputs that reach
 * deep into each parser instead of only the empty input. Rerun after a wire-format change:
 *
 * <pre>
 * ./mvnw -q -pl p2p test-compile && java -cp "p2p/target/test-classes:p2p/target/classes:$(cat cp.txt)" \
 *     dev.weft.p2p.fuzz.FuzzSeedWriter p2p/src/test/resources
 * </pre>
 *
 * (or run {@code FuzzSeedsTest} with {@code -Dweft.fuzz.writeSeeds=true}). Files that already
 * exist are overwritten with identical bytes: every seed is deterministic.
 */
public final class FuzzSeedWriter {
  private FuzzSeedWriter() {}

  public static void main(String[] args) throws Exception {
    write(Path.of(args.length > 0 ? args[0] : "p2p/src/test/resources"));
  }

  /** Every corpus: directory (relative to the test resources root) → seeds. */
  public static Map<String, Map<String, byte[]>> corpora() throws Exception {
    byte[][] ms = MultistreamFuzzSeeds.negotiation();
    Map<String, byte[]> yamux = YamuxFuzzSeeds.clientToServer();
    return Map.of(
        "dev/weft/p2p/yamux/YamuxFrameFuzzTestInputs/reader", yamux,
        "dev/weft/p2p/yamux/YamuxFrameFuzzTestInputs/session", yamux,
        "dev/weft/p2p/noise/NoisePayloadFuzzTestInputs/handshakeResponder", NoiseFuzzSeeds.handshakeResponder(),
        "dev/weft/p2p/noise/NoisePayloadFuzzTestInputs/parsePayload", NoiseFuzzSeeds.payloads(),
        "dev/weft/p2p/noise/NoisePayloadFuzzTestInputs/transportDecoder", NoiseFuzzSeeds.transportFrames(),
        "dev/weft/p2p/multistream/MultistreamFuzzTestInputs/decode", MultistreamFuzzSeeds.forDecode(),
        "dev/weft/p2p/multistream/MultistreamFuzzTestInputs/responderChannel", Map.of("initiator-messages", ms[0]),
        "dev/weft/p2p/multistream/MultistreamFuzzTestInputs/initiatorChannel", Map.of("responder-messages", ms[1]),
        "dev/weft/p2p/pubsub/RpcFrameDecoderFuzzTestInputs/framesStayWithinTheLimit", RpcFuzzSeeds.frames());
  }

  static void write(Path root) throws Exception {
    for (var corpus : corpora().entrySet()) {
      Path dir = root.resolve(corpus.getKey());
      Files.createDirectories(dir);
      for (var seed : corpus.getValue().entrySet()) writeIfChanged(dir.resolve(seed.getKey()), seed.getValue());
    }
  }

  private static void writeIfChanged(Path file, byte[] bytes) throws IOException {
    if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) return;
    Files.write(file, bytes);
  }
}
