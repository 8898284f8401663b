package dev.weft.p2p.upgrade;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The transport contract over loopback TCP: the upgrade pipeline on a socket channel. */
class TcpTransportContractTest extends TransportContract {
  @Override CompletableFuture<Pair> connect(StreamRouter router, PeerId expectedPeer) throws Exception {
    TcpTransport dialer = new TcpTransport(dialerKey);
    TcpTransport listener = new TcpTransport(listenerKey);
    cleanup.add(dialer);
    cleanup.add(listener);
    CompletableFuture<Connection> accepted = new CompletableFuture<>();
    Multiaddr bound = listener.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), new ConnectionSink() {
      @Override public StreamRouter router() {
        return router;
      }

      @Override public void accepted(Connection connection) {
        accepted.complete(connection);
      }
    }).get(WAIT_SECONDS, TimeUnit.SECONDS);
    return both(dialer.dial(bound, expectedPeer, router), accepted);
  }
}
