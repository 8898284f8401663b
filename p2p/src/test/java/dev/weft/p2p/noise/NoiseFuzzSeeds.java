package dev.weft.p2p.noise;

import com.google.protobuf.ByteString;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.noise.pb.NoiseExtensions;
import dev.weft.p2p.noise.pb.NoiseHandshakePayload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seeds for {@link NoisePayloadFuzzTest}, from real handshakes and real encrypted frames. */
public final class NoiseFuzzSeeds {
  private NoiseFuzzSeeds() {}

  /** The initiator's wire bytes (messages 1 and 3, u16-prefixed) of a handshake with the fuzz test's seeded responder. */
  public static Map<String, byte[]> handshakeResponder() throws NoiseException {
    NoiseHandshake init = NoisePayloadFuzzTest.initiator();
    NoiseHandshake resp = NoisePayloadFuzzTest.responder();
    byte[] m1 = init.writeMessage();
    resp.readMessage(m1);
    init.readMessage(resp.writeMessage());
    byte[] m3 = init.writeMessage();
    resp.readMessage(m3);
    if (!resp.isComplete()) throw new IllegalStateException("handshake did not complete");
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (byte[] m : new byte[][] {m1, m3}) {
      wire.write(m.length >>> 8);
      wire.write(m.length & 0xff);
      wire.writeBytes(m);
    }
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("xx-initiator-wire", wire.toByteArray());
    byte[] onlyFirst = new byte[2 + m1.length];
    System.arraycopy(wire.toByteArray(), 0, onlyFirst, 0, onlyFirst.length);
    seeds.put("xx-message-1-only", onlyFirst);
    return seeds;
  }

  /** Handshake payloads as a libp2p peer sends them: identity key, signature over the static key, muxers. */
  public static Map<String, byte[]> payloads() {
    PrivKey id = Ed25519.fromSeedNumber(3);
    byte[] staticKey = X25519KeyPair.generate(dev.weft.p2p.fuzz.Chunks.seededSecureRandom(3)).publicKey();
    byte[] toSign = new byte[NoiseHandshake.SIGNATURE_PREFIX.length + staticKey.length];
    System.arraycopy(NoiseHandshake.SIGNATURE_PREFIX, 0, toSign, 0, NoiseHandshake.SIGNATURE_PREFIX.length);
    System.arraycopy(staticKey, 0, toSign, NoiseHandshake.SIGNATURE_PREFIX.length, staticKey.length);
    NoiseHandshakePayload.Builder b = NoiseHandshakePayload.newBuilder()
        .setIdentityKey(ByteString.copyFrom(id.publicKey().marshal()))
        .setIdentitySig(ByteString.copyFrom(id.sign(toSign)));
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("payload-no-extensions", b.build().toByteArray());
    seeds.put("payload-yamux", b.setExtensions(NoiseExtensions.newBuilder().addStreamMuxers("/yamux/1.0.0")).build().toByteArray());
    return seeds;
  }

  /** Transport frames encrypted under the all-zero key, as the encoder writes them. */
  public static Map<String, byte[]> transportFrames() {
    CipherState cs = new CipherState();
    cs.initializeKey(new byte[32]);
    EmbeddedChannel ch = new EmbeddedChannel(new NoiseEncoder(cs));
    ch.writeOutbound(Unpooled.copiedBuffer("/multistream/1.0.0\n", StandardCharsets.UTF_8));
    ch.writeOutbound(Unpooled.wrappedBuffer(new byte[1500]));
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      ByteBuf bb = (ByteBuf) o;
      wire.writeBytes(ByteBufUtil.getBytes(bb));
      bb.release();
    }
    ch.finishAndReleaseAll();
    return Map.of("two-frames-zero-key", wire.toByteArray());
  }
}
