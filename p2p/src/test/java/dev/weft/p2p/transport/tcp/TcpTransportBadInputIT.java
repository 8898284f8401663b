package dev.weft.p2p.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multistream.MultistreamCodec;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw sockets speaking nonsense at each layer of the upgrade: the listener closes them and keeps
 * serving real peers.
 */
class TcpTransportBadInputIT {
  private static final long UPGRADE_TIMEOUT_MILLIS = 1500;
  private final PrivKey serverKey = Ed25519.fromSeedNumber(20);
  private final TcpTransport server = new TcpTransport(serverKey,
      TcpTransportConfig.DEFAULT.withIoThreads(1).withUpgradeTimeoutMillis(UPGRADE_TIMEOUT_MILLIS).withMaxPendingInbound(4));
  private final TcpTransport client = new TcpTransport(Ed25519.fromSeedNumber(21), TcpTransportConfig.DEFAULT.withIoThreads(1));
  private Multiaddr address;
  private InetSocketAddress socketAddress;

  @BeforeEach void listen() throws Exception {
    StreamRouter router = TcpTransportIT.router(Map.<String, ProtocolHandler>of());
    address = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), new ConnectionSink() {
      @Override public StreamRouter router() {
        return router;
      }

      @Override public void accepted(Connection c) {}
    }).get(5, TimeUnit.SECONDS);
    socketAddress = address.toInetSocketAddress();
  }

  @AfterEach void close() {
    client.close();
    server.close();
  }

  /** Sends {@code bytes} and reads until the server closes; fails if it does not within the timeout. */
  private void assertClosedAfter(byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(socketAddress, 2000);
      s.setSoTimeout((int) UPGRADE_TIMEOUT_MILLIS * 4);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      try {
        while (in.read(buf) >= 0) {
          // drain what the server says before it hangs up
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("server did not close the connection", e);
      } catch (IOException reset) {
        // a reset is a close too
      }
    }
  }

  private void assertStillServes() throws Exception {
    Connection c = client.dial(address, PeerId.fromPublicKey(serverKey.publicKey()), TcpTransportIT.router(Map.of()))
        .get(10, TimeUnit.SECONDS);
    c.close().get(5, TimeUnit.SECONDS);
  }

  private static byte[] messages(String... m) {
    ByteBuf b = MultistreamCodec.encode(Unpooled.buffer().alloc(), List.of(m));
    byte[] out = ByteBufUtil.getBytes(b);
    b.release();
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test void randomBytes() throws Exception {
    byte[] junk = new byte[4096];
    new Random(11).nextBytes(junk);
    assertClosedAfter(junk);
    assertStillServes();
  }

  @Test void oversizedMultistreamLengthPrefix() throws Exception {
    assertClosedAfter(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
    assertStillServes();
  }

  @Test void truncatedMultistreamMessageHitsTheDeadline() throws Exception {
    assertClosedAfter(new byte[] {0x13, '/', 'm', 'u'});
    assertStillServes();
  }

  @Test void unknownSecurityProtocolIsRefused() throws Exception {
    assertClosedAfter(messages(MultistreamCodec.PROTOCOL_ID, "/tls/1.0.0"));
    assertStillServes();
  }

  @Test void garbageNoiseHandshake() throws Exception {
    byte[] junk = new byte[2 + 40 + 2 + 300];
    new Random(12).nextBytes(junk);
    junk[0] = 0;
    junk[1] = 40;
    junk[42] = 1;
    junk[43] = 44; // 300 bytes of "message 3"
    assertClosedAfter(concat(messages(MultistreamCodec.PROTOCOL_ID, "/noise"), junk));
    assertStillServes();
  }

  @Test void oversizedNoiseLengthPrefixThatNeverCompletesHitsTheDeadline() throws Exception {
    assertClosedAfter(concat(messages(MultistreamCodec.PROTOCOL_ID, "/noise"), new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}));
    assertStillServes();
  }

  @Test void silentConnectionsHitTheDeadlineAndExcessOnesAreRefused() throws Exception {
    Socket[] idle = new Socket[6];
    try {
      long start = System.nanoTime();
      for (int i = 0; i < idle.length; i++) {
        idle[i] = new Socket();
        idle[i].connect(socketAddress, 2000);
        idle[i].setSoTimeout((int) UPGRADE_TIMEOUT_MILLIS * 4);
      }
      // The two beyond maxPendingInbound = 4 are closed at once; the rest at the deadline.
      for (Socket s : idle) {
        try {
          while (s.getInputStream().read() >= 0) {
            // the server's multistream header, then EOF
          }
        } catch (SocketTimeoutException e) {
          throw new AssertionError("idle connection not closed", e);
        } catch (IOException reset) {
          // closed
        }
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(UPGRADE_TIMEOUT_MILLIS * 4);
    } finally {
      for (Socket s : idle) if (s != null) s.close();
    }
    assertStillServes();
  }
}
