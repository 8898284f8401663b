package dev.weft.p2p.transport.tcp;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-way throughput of one stream over TCP loopback through the whole stack (Noise + Yamux), in
 * one JVM, with the process CPU time per GiB; and, as the ceiling, the JDK's ChaCha20-Poly1305
 * alone on the same machine. Not a test: a main for evidence (see docs/p2p-wire.md).
 *
 * <p>Usage: {@code TcpThroughputBench [MiB per round] [rounds]}
 */
public final class TcpThroughputBench {
  private static final String SINK = "/weft/bench/sink/1.0.0";
  private static final int CHUNK = 1 << 20;

  private TcpThroughputBench() {}

  public static void main(String[] args) throws Exception {
    long total = (args.length > 0 ? Long.parseLong(args[0]) : 256) << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    cipherOnly();
    TcpTransport server = new TcpTransport(Ed25519.fromSeedNumber(5), TcpTransportConfig.DEFAULT.withIoThreads(1));
    TcpTransport client = new TcpTransport(Ed25519.fromSeedNumber(6), TcpTransportConfig.DEFAULT.withIoThreads(1));
    try {
      run(server, client, total, rounds);
    } finally {
      client.close();
      server.close();
    }
  }

  private static void run(TcpTransport server, TcpTransport client, long total, int rounds) throws Exception {
    @SuppressWarnings("unchecked")
    CompletableFuture<Long>[] received = new CompletableFuture[1];
    ProtocolHandler sink = s -> s.setHandler(new StreamHandler() {
      long n;

      @Override public void onData(Stream st, ByteBuf d) {
        n += d.readableBytes();
      }

      @Override public void onRemoteClosed(Stream st) {
        received[0].complete(n);
        st.closeWrite();
      }
    });
    StreamRouter router = TcpTransportIT.router(Map.of(SINK, sink));
    Multiaddr addr = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), new ConnectionSink() {
      @Override public StreamRouter router() {
        return router;
      }

      @Override public void accepted(Connection c) {}
    }).get(10, TimeUnit.SECONDS);
    Connection c = client.dial(addr, null, router).get(30, TimeUnit.SECONDS);
    var os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(CHUNK);
    chunk.writerIndex(CHUNK);
    try {
      for (int r = 0; r < rounds; r++) {
        received[0] = new CompletableFuture<>();
        Stream s = c.newStream(List.of(SINK)).get(10, TimeUnit.SECONDS);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        ArrayDeque<CompletableFuture<Void>> inflight = new ArrayDeque<>();
        for (long sent = 0; sent < total; sent += CHUNK) {
          inflight.add(s.write(chunk.retainedSlice()));
          if (inflight.size() > 4) inflight.poll().get(60, TimeUnit.SECONDS);
        }
        s.closeWrite();
        long n = received[0].get(300, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("weft tcp+noise+yamux round %d: %d MiB in %.2f s = %.1f MiB/s, %.2f CPU s/GiB (both ends)%n",
            r, n >> 20, secs, (n >> 20) / secs, cpu / (n / (double) (1L << 30)));
      }
    } finally {
      chunk.release();
      c.close().get(5, TimeUnit.SECONDS);
    }
  }

  /** The JDK's ChaCha20-Poly1305 sealing 65519-byte messages (our Noise message size), one thread. */
  private static void cipherOnly() throws Exception {
    Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
    SecretKeySpec key = new SecretKeySpec(new byte[32], "ChaCha20");
    byte[] buf = new byte[65535];
    byte[] iv = new byte[12];
    long counter = 0;
    for (int r = 0; r < 3; r++) {
      long t0 = System.nanoTime();
      long n = 0;
      for (int i = 0; i < 8192; i++, counter++) {
        for (int j = 0; j < 8; j++) iv[4 + j] = (byte) (counter >>> (8 * j));
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        cipher.doFinal(buf, 0, 65519, buf, 0);
        n += 65519;
      }
      System.out.printf("jdk chacha20-poly1305 alone, round %d: %.0f MiB/s%n", r, n / ((System.nanoTime() - t0) / 1e9) / (1 << 20));
    }
  }
}
