package dev.weft.p2p.transport.memory;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.transport.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The in-memory {@link Transport} of one host on a {@link MemoryNetwork}. Connections are
 * "secured" by construction: the dialler learns the listener's real {@link PeerId}, and a dial
 * that expected another peer fails as a Noise handshake would. Protocol negotiation is direct (no
 * multistream bytes) with the same outcome: a protocol the remote router does not know fails the
 * {@code newStream} future with {@link UnsupportedProtocolException}.
 *
 * <p>A dial costs one round trip of the link's latency before the connection is ready.
 */
public final class MemoryTransport implements Transport {
  private final MemoryNetwork network;
  private final PeerId localPeer;
  private volatile boolean closed;

  MemoryTransport(MemoryNetwork network, PeerId localPeer) {
    this.network = network;
    this.localPeer = localPeer;
  }

  public PeerId localPeer() {
    return localPeer;
  }

  @Override public boolean handles(Multiaddr address) {
    return MemoryAddress.name(address).isPresent();
  }

  @Override public CompletableFuture<Multiaddr> listen(Multiaddr address, ConnectionSink sink) {
    if (closed) return CompletableFuture.failedFuture(new IOException("transport closed"));
    Optional<String> name = MemoryAddress.name(address);
    if (name.isEmpty()) return CompletableFuture.failedFuture(new IllegalArgumentException("not a /memory/ address"));
    return network.bind(name.get(), this, sink);
  }

  @Override public CompletableFuture<Connection> dial(Multiaddr address, PeerId expectedPeer, StreamRouter router) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    Optional<String> name = MemoryAddress.name(address);
    if (name.isEmpty()) {
      result.completeExceptionally(new IllegalArgumentException("not a /memory/ address"));
      return result;
    }
    network.scheduler().execute(() -> dialNow(name.get(), expectedPeer, router, result));
    return result;
  }

  private void dialNow(String name, PeerId expectedPeer, StreamRouter router, CompletableFuture<Connection> result) {
    if (closed) {
      result.completeExceptionally(new IOException("transport closed"));
      return;
    }
    MemoryNetwork.Listener listener = network.listener(name);
    if (listener == null || listener.transport().closed) {
      result.completeExceptionally(new ConnectException("connection refused: /memory/" + name));
      return;
    }
    PeerId remotePeer = listener.transport().localPeer;
    if (remotePeer.equals(localPeer)) {
      result.completeExceptionally(new IOException("dialled ourselves: /memory/" + name));
      return;
    }
    if (network.partitioned(localPeer, remotePeer)) {
      result.completeExceptionally(new ConnectException("unreachable (partitioned): /memory/" + name));
      return;
    }
    List<String> localNames = network.namesOf(this);
    Multiaddr localAddr = MemoryAddress.of(localNames.isEmpty() ? network.ephemeralName() : localNames.get(0));
    Multiaddr remoteAddr = MemoryAddress.of(name);
    LinkConfig link = network.link(localPeer, remotePeer);
    MemoryConnection out = new MemoryConnection(network, network.nextConnectionId(), localPeer, remotePeer, localAddr, remoteAddr, true, router, link);
    MemoryConnection in = new MemoryConnection(network, network.nextConnectionId(), remotePeer, localPeer, remoteAddr, localAddr, false, listener.sink().router(), link);
    out.pairWith(in);
    in.pairWith(out);
    if (expectedPeer != null && !expectedPeer.equals(remotePeer)) {
      // The handshake still takes a round trip before the identity mismatch is known.
      out.sendControl(() -> in.sendControl(() -> result.completeExceptionally(
          new IOException("peer id mismatch: expected " + expectedPeer + ", remote is " + remotePeer))));
      return;
    }
    network.opened(out);
    network.opened(in);
    out.sendControl(() -> {
      if (listener.transport().closed) {
        in.sendControl(() -> {
          out.abort("connection refused");
          result.completeExceptionally(new ConnectException("connection refused: /memory/" + name));
        });
        return;
      }
      listener.sink().accepted(in);
      in.sendControl(() -> {
        if (out.isClosed()) {
          result.completeExceptionally(new IOException("connection closed by the remote during the handshake"));
        } else if (!result.complete(out)) {
          out.close();
        }
      });
    });
  }

  /** Stops listening; open connections stay until closed (the host closes them). */
  @Override public void close() {
    closed = true;
    network.unbind(this);
  }
}
