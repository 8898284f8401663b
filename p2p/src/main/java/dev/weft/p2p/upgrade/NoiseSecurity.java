package dev.weft.p2p.upgrade;

import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.noise.NoiseHandshake;
import dev.weft.p2p.noise.NoiseHandshakeHandler;
import dev.weft.p2p.noise.NoiseSession;
import dev.weft.p2p.noise.X25519KeyPair;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Noise XX ({@code /noise}) as a security binding: the handshake handler, which on success
 * replaces itself by the Noise decoder/encoder pair (the encoder, {@value #LAST_HANDLER}, last).
 */
public final class NoiseSecurity implements SecurityBinding {
  /** The name NoiseHandshakeHandler gives the last handler it installs. */
  static final String LAST_HANDLER = "noise-encoder";

  private final PrivKey identity;
  private final X25519KeyPair staticKey;
  private final SecureRandom random;
  private final long handshakeTimeoutMillis;

  public NoiseSecurity(PrivKey identity, X25519KeyPair staticKey, SecureRandom random, long handshakeTimeoutMillis) {
    if (handshakeTimeoutMillis <= 0) throw new IllegalArgumentException("handshake timeout must be positive: " + handshakeTimeoutMillis);
    this.identity = identity;
    this.staticKey = staticKey;
    this.random = random;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
  }

  @Override public String protocolId() {
    return NoiseHandshake.PROTOCOL_ID;
  }

  @Override public void install(ChannelPipeline pipeline, String after, UpgradeRequest request, CompletableFuture<Secured> done) {
    NoiseHandshake hs = new NoiseHandshake(request.initiator(), identity, staticKey, random, request.handshakeMuxers(),
        request.expectedPeer(), Keys::unmarshalPublicKey);
    pipeline.addAfter(after, "noise-handshake", new NoiseHandshakeHandler(hs, handshakeTimeoutMillis, new NoiseHandshakeHandler.Listener() {
      @Override public void secured(ChannelHandlerContext c, NoiseSession session) {
        done.complete(new Secured(session.remotePeer(), LAST_HANDLER, session.remoteMuxers()));
      }

      @Override public void failed(ChannelHandlerContext c, Throwable cause) {
        done.completeExceptionally(cause);
      }
    }));
  }
}
