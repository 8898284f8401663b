package dev.weft.p2p.resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder whose outgoing side is bound to {@code source}: lets a client that
 * cannot choose its source address (a host's TCP transport) reach a server from another address
 * of 127/8, which Linux routes to lo. One virtual thread per direction.
 */
final class SourceAddressProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetAddress source;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  SourceAddressProxy(String sourceAddress, InetSocketAddress target) throws IOException {
    this.server = new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1"));
    this.source = InetAddress.getByName(sourceAddress);
    this.target = target;
    Thread.ofVirtual().start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket();
        sockets.add(in);
        sockets.add(out);
        try {
          out.bind(new InetSocketAddress(source, 0));
          out.connect(target, 2_000);
        } catch (IOException e) {
          in.close();
          out.close();
          continue;
        }
        Thread.ofVirtual().start(() -> pump(in, out));
        Thread.ofVirtual().start(() -> pump(out, in));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream is = from.getInputStream(); OutputStream os = to.getOutputStream()) {
      int n;
      while ((n = is.read(buf)) >= 0) os.write(buf, 0, n);
    } catch (IOException ignored) {
      // either side closed
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing
      }
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  @Override public void close() throws IOException {
    server.close();
    for (Socket s : sockets) s.close();
  }
}
