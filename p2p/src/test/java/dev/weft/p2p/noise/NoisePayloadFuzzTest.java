package dev.weft.p2p.noise;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.Keys;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.util.List;

/**
 * Noise from untrusted bytes: the handshake payload parser, the handshake state machine and the
 * transport decoder throw nothing but {@link NoiseException} (or close the channel), whatever
 * arrives.
 */
class NoisePayloadFuzzTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @FuzzTest(maxDuration = "30s")
  void parsePayload(byte[] data) {
    try {
      NoiseHandshake.parsePayload(data).toByteArray();
    } catch (NoiseException expected) {
      // rejected cleanly
    }
  }

  @FuzzTest(maxDuration = "30s")
  void handshakeMessages(FuzzedDataProvider data) {
    boolean initiator = data.consumeBoolean();
    NoiseHandshake hs = new NoiseHandshake(initiator, Ed25519.fromSeedNumber(1), X25519KeyPair.generate(RANDOM), RANDOM,
        List.of("/yamux/1.0.0"), null, Keys::unmarshalPublicKey);
    try {
      while (!hs.isComplete() && data.remainingBytes() > 0) {
        if (hs.isMyTurn()) hs.writeMessage();
        else hs.readMessage(data.consumeBytes(data.consumeInt(0, 300)));
      }
    } catch (NoiseException expected) {
      // rejected cleanly
    }
  }

  @FuzzTest(maxDuration = "30s")
  void transportDecoder(FuzzedDataProvider data) {
    CipherState cs = new CipherState();
    cs.initializeKey(new byte[32]);
    EmbeddedChannel ch = new EmbeddedChannel(new NoiseDecoder(cs));
    while (data.remainingBytes() > 0 && ch.isOpen()) {
      ch.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(1, 512))));
    }
    ch.checkException();
    ch.finishAndReleaseAll();
  }
}
