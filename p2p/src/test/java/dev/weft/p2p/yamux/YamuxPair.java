package dev.weft.p2p.yamux;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.StreamRouter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Two Yamux sessions on EmbeddedChannels, wired back to back; {@link #pump()} moves the bytes. */
final class YamuxPair implements AutoCloseable {
  final Map<String, ProtocolHandler> clientHandlers = new ConcurrentHashMap<>();
  final Map<String, ProtocolHandler> serverHandlers = new ConcurrentHashMap<>();
  final EmbeddedChannel clientChannel = new EmbeddedChannel();
  final EmbeddedChannel serverChannel = new EmbeddedChannel();
  final YamuxSession client;
  final YamuxSession server;
  /** When false, bytes from the client are held back (a server that stops reading, seen from the client). */
  boolean deliverToServer = true;

  YamuxPair(YamuxConfig clientConfig, YamuxConfig serverConfig) {
    PeerId clientId = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
    PeerId serverId = PeerId.fromPublicKey(Ed25519.fromSeedNumber(2).publicKey());
    Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/tcp/1");
    Multiaddr b = Multiaddr.parse("/ip4/127.0.0.1/tcp/2");
    client = new YamuxSession(clientConfig, true, serverId, a, b, router(clientHandlers));
    server = new YamuxSession(serverConfig, false, clientId, b, a, router(serverHandlers));
    clientChannel.pipeline().addLast(client);
    serverChannel.pipeline().addLast(server);
  }

  YamuxPair() {
    this(YamuxConfig.DEFAULT, YamuxConfig.DEFAULT);
  }

  static StreamRouter router(Map<String, ProtocolHandler> handlers) {
    return new StreamRouter() {
      @Override public List<String> protocols() {
        return List.copyOf(handlers.keySet());
      }

      @Override public ProtocolHandler handler(String protocolId) {
        return handlers.get(protocolId);
      }
    };
  }

  /** Runs tasks and moves bytes both ways until nothing moves. */
  void pump() {
    for (int i = 0; i < 100_000; i++) {
      clientChannel.runPendingTasks();
      serverChannel.runPendingTasks();
      boolean moved = false;
      if (deliverToServer) moved |= move(clientChannel, serverChannel);
      moved |= move(serverChannel, clientChannel);
      if (!moved) return;
    }
    throw new AssertionError("pump did not settle");
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (Object o; (o = from.readOutbound()) != null; ) {
      moved = true;
      if (to.isOpen()) {
        to.writeInbound(o);
      } else {
        ((ByteBuf) o).release();
      }
    }
    return moved;
  }

  @Override public void close() {
    clientChannel.finishAndReleaseAll();
    serverChannel.finishAndReleaseAll();
  }
}
