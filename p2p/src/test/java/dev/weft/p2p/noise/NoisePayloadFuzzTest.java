package dev.weft.p2p.noise;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.fuzz.Chunks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;

/**
 * Noise from untrusted bytes: the handshake payload parser, the handshake state machine and the
 * transport decoder throw nothing but {@link NoiseException} (or close the channel), whatever
 * arrives.
 *
 * <p>Every random source is seeded ({@link Chunks#seededSecureRandom}), so a replayed input takes
 * the same path. That is also what makes the seed corpus deep: {@code handshakeResponder}'s seeds
 * are the wire bytes a real initiator sent to a responder with these same seeded keys, so message
 * 3 decrypts and its payload signature verifies on replay, and mutations explore from there.
 * Seeds are written by {@link dev.weft.p2p.fuzz.FuzzSeedWriter}.
 */
class NoisePayloadFuzzTest {
  /** The responder's identity and keys in every replay (and when the seeds were captured). */
  static final long RESPONDER_SEED = 2;
  static final long INITIATOR_SEED = 1;

  @FuzzTest(maxDuration = "30s")
  void parsePayload(byte[] data) {
    try {
      NoiseHandshake.parsePayload(data).toByteArray();
    } catch (NoiseException expected) {
      // rejected cleanly
    }
  }

  /** The responder reads what an initiator sends on the wire: u16 length-prefixed messages 1 and 3. */
  @FuzzTest(maxDuration = "30s")
  void handshakeResponder(byte[] wire) {
    NoiseHandshake hs = responder();
    ByteBuf in = Unpooled.wrappedBuffer(wire);
    try {
      while (!hs.isComplete()) {
        if (hs.isMyTurn()) {
          hs.writeMessage();
          continue;
        }
        if (in.readableBytes() < 2) return;
        int len = in.readUnsignedShort();
        if (in.readableBytes() < len) return;
        byte[] m = new byte[len];
        in.readBytes(m);
        hs.readMessage(m);
      }
    } catch (NoiseException expected) {
      // rejected cleanly
    }
  }

  static NoiseHandshake responder() {
    java.security.SecureRandom r = Chunks.seededSecureRandom(RESPONDER_SEED);
    return new NoiseHandshake(false, Ed25519.fromSeedNumber(RESPONDER_SEED), X25519KeyPair.generate(r), r,
        List.of("/yamux/1.0.0"), null, Keys::unmarshalPublicKey);
  }

  static NoiseHandshake initiator() {
    java.security.SecureRandom r = Chunks.seededSecureRandom(INITIATOR_SEED);
    return new NoiseHandshake(true, Ed25519.fromSeedNumber(INITIATOR_SEED), X25519KeyPair.generate(r), r,
        List.of("/yamux/1.0.0"), null, Keys::unmarshalPublicKey);
  }

  /** Transport frames under an all-zero key (the seeds were encrypted under it). */
  @FuzzTest(maxDuration = "30s")
  void transportDecoder(byte[] wire) {
    CipherState cs = new CipherState();
    cs.initializeKey(new byte[32]);
    EmbeddedChannel ch = new EmbeddedChannel(new NoiseDecoder(cs));
    for (byte[] chunk : Chunks.split(wire, 512)) {
      if (!ch.isOpen()) break;
      ch.writeInbound(Unpooled.wrappedBuffer(chunk));
    }
    ch.checkException();
    ch.finishAndReleaseAll();
  }
}
