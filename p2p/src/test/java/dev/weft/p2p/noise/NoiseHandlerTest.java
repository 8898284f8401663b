package dev.weft.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PrivKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NoiseHandlerTest {
  private final SecureRandom random = new SecureRandom();
  private final PrivKey alice = Ed25519.fromSeedNumber(1);
  private final PrivKey bob = Ed25519.fromSeedNumber(2);
  private final List<NoiseSession> sessions = new ArrayList<>();
  private final List<Throwable> failures = new ArrayList<>();
  private final ByteBuf aliceReceived = Unpooled.buffer();
  private final ByteBuf bobReceived = Unpooled.buffer();
  private EmbeddedChannel a;
  private EmbeddedChannel b;

  @AfterEach void release() {
    if (a != null) a.finishAndReleaseAll();
    if (b != null) b.finishAndReleaseAll();
    aliceReceived.release();
    bobReceived.release();
  }

  private NoiseHandshakeHandler handler(boolean initiator, PeerId expected, ByteBuf sink) {
    NoiseHandshake hs = new NoiseHandshake(initiator, initiator ? alice : bob, X25519KeyPair.generate(random), random,
        List.of("/yamux/1.0.0"), expected, Keys::unmarshalPublicKey);
    return new NoiseHandshakeHandler(hs, 1000, new NoiseHandshakeHandler.Listener() {
      @Override public void secured(ChannelHandlerContext ctx, NoiseSession session) {
        sessions.add(session);
        ctx.pipeline().addLast("sink", new ChannelInboundHandlerAdapter() {
          @Override public void channelRead(ChannelHandlerContext c, Object msg) {
            sink.writeBytes((ByteBuf) msg);
            ((ByteBuf) msg).release();
          }
        });
      }

      @Override public void failed(ChannelHandlerContext ctx, Throwable cause) {
        failures.add(cause);
      }
    });
  }

  private void connect(PeerId expectedByAlice) {
    a = new EmbeddedChannel(handler(true, expectedByAlice, aliceReceived));
    b = new EmbeddedChannel(handler(false, null, bobReceived));
    pump();
  }

  /** Moves bytes both ways until quiet; {@code tamper} may alter what goes from a to b. */
  private void pump() {
    boolean moved = true;
    while (moved) {
      moved = move(a, b) | move(b, a);
    }
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (Object o; (o = from.readOutbound()) != null; ) {
      moved = true;
      if (to.isOpen()) to.writeInbound(o); else ((ByteBuf) o).release();
    }
    return moved;
  }

  @Test void handshakeThenEncryptedDataBothWays() {
    connect(PeerId.fromPublicKey(bob.publicKey()));
    assertThat(sessions).hasSize(2);
    assertThat(a.pipeline().get(NoiseHandshakeHandler.class)).isNull();
    byte[] big = new byte[200_000]; // spans several Noise messages
    new Random(3).nextBytes(big);
    a.write(Unpooled.copiedBuffer("hello ", StandardCharsets.UTF_8));
    a.writeAndFlush(Unpooled.wrappedBuffer(big));
    b.writeAndFlush(Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8));
    pump();
    assertThat(bobReceived.readableBytes()).isEqualTo(6 + big.length);
    assertThat(bobReceived.readSlice(6).toString(StandardCharsets.UTF_8)).isEqualTo("hello ");
    byte[] got = new byte[big.length];
    bobReceived.readBytes(got);
    assertThat(got).isEqualTo(big);
    assertThat(aliceReceived.toString(StandardCharsets.UTF_8)).isEqualTo("hi");
  }

  @Test void flushCoalescesManySmallWritesIntoOneMessage() {
    connect(null);
    for (int i = 0; i < 100; i++) a.write(Unpooled.wrappedBuffer(new byte[12]));
    a.flush();
    List<ByteBuf> frames = new ArrayList<>();
    for (Object o; (o = a.readOutbound()) != null; ) frames.add((ByteBuf) o);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).readableBytes()).isEqualTo(2 + 1200 + CipherState.TAG_LENGTH);
    frames.forEach(ByteBuf::release);
  }

  @Test void tamperedCiphertextClosesTheConnection() {
    connect(null);
    a.writeAndFlush(Unpooled.copiedBuffer("secret", StandardCharsets.UTF_8));
    ByteBuf frame = a.readOutbound();
    frame.setByte(5, frame.getByte(5) ^ 0x01);
    b.writeInbound(frame);
    assertThat(b.isOpen()).isFalse();
    assertThat(bobReceived.isReadable()).isFalse();
  }

  @Test void transportFrameShorterThanATagClosesTheConnection() {
    connect(null);
    b.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3}));
    assertThat(b.isOpen()).isFalse();
  }

  @Test void truncatedTransportFrameWaits() {
    connect(null);
    a.writeAndFlush(Unpooled.copiedBuffer("split", StandardCharsets.UTF_8));
    ByteBuf frame = a.readOutbound();
    b.writeInbound(frame.readRetainedSlice(4));
    assertThat(bobReceived.isReadable()).isFalse();
    b.writeInbound(frame);
    assertThat(bobReceived.toString(StandardCharsets.UTF_8)).isEqualTo("split");
  }

  @Test void wrongPeerFailsAndCloses() {
    connect(PeerId.fromPublicKey(Ed25519.fromSeedNumber(77).publicKey()));
    assertThat(a.isOpen()).isFalse();
    assertThat(failures).anySatisfy(t -> assertThat(t).hasMessageContaining("expected"));
    assertThat(sessions).isEmpty();
  }

  @Test void garbageInsteadOfAHandshakeCloses() {
    b = new EmbeddedChannel(handler(false, null, bobReceived));
    byte[] junk = new byte[2 + 200 + 2 + 60];
    new Random(5).nextBytes(junk);
    junk[0] = 0;
    junk[1] = (byte) 200; // a complete 200-byte "message 1" of random bytes
    junk[202] = 0;
    junk[203] = 60; // then a 60-byte "message 3" of random bytes
    b.writeInbound(Unpooled.wrappedBuffer(junk));
    // Random 32 bytes are a valid X25519 point almost surely, so message 1 is accepted and answered;
    // the random "message 3" cannot authenticate.
    assertThat(b.isOpen()).isFalse();
    assertThat(failures).hasSize(1);
  }

  @Test void handshakeTimesOut() {
    b = new EmbeddedChannel(handler(false, null, bobReceived));
    b.advanceTimeBy(1001, TimeUnit.MILLISECONDS);
    b.runPendingTasks();
    assertThat(b.isOpen()).isFalse();
    assertThat(failures).singleElement().extracting(Throwable::getMessage).asString().contains("timed out");
  }
}
