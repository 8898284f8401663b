package dev.weft.p2p.resource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The slowloris script of issue 15, in one thread: opens TCP connections from {@code source} to
 * {@code target} — a burst first, then {@code perSecond} — keeps up to {@code hold} of them open
 * and never sends a byte. Whatever the server sends is discarded; a connection the server closes
 * is replaced (the attacker always wants {@code hold}). Bounded: stops at {@link #close()}.
 */
final class SilentAttacker implements AutoCloseable {
  private final InetSocketAddress source;
  private final InetSocketAddress target;
  private final int burst;
  private final int perSecond;
  private final int hold;
  private final Thread thread;
  private volatile boolean stop;
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger closedByServer = new AtomicInteger();
  final AtomicInteger held = new AtomicInteger();
  final AtomicInteger maxHeld = new AtomicInteger();
  volatile Throwable failure;

  SilentAttacker(String sourceAddress, InetSocketAddress target, int burst, int perSecond, int hold) {
    this.source = new InetSocketAddress(sourceAddress, 0);
    this.target = target;
    this.burst = burst;
    this.perSecond = perSecond;
    this.hold = hold;
    this.thread = new Thread(this::run, "silent-attacker-" + sourceAddress);
    this.thread.setDaemon(true);
  }

  SilentAttacker start() {
    thread.start();
    return this;
  }

  private void run() {
    ByteBuffer sink = ByteBuffer.allocate(4096);
    try (Selector selector = Selector.open()) {
      long startNanos = System.nanoTime();
      while (!stop) {
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        long allowed = burst + elapsedMs * perSecond / 1000;
        while (!stop && opened.get() < allowed && held.get() < hold) open(selector);
        selector.select(5);
        for (SelectionKey k : selector.selectedKeys()) {
          SocketChannel ch = (SocketChannel) k.channel();
          int n;
          try {
            sink.clear();
            n = ch.read(sink);
          } catch (IOException reset) {
            n = -1;
          }
          if (n < 0) {
            k.cancel();
            ch.close();
            held.decrementAndGet();
            closedByServer.incrementAndGet();
          }
        }
        selector.selectedKeys().clear();
      }
      for (SelectionKey k : selector.keys()) k.channel().close();
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void open(Selector selector) throws IOException {
    SocketChannel ch = SocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_LINGER, 0);
      ch.bind(source);
      ch.connect(target);
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
    } catch (IOException e) {
      ch.close();
      opened.incrementAndGet();
      closedByServer.incrementAndGet();
      return;
    }
    opened.incrementAndGet();
    maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
  }

  @Override public void close() throws InterruptedException {
    stop = true;
    thread.join(10_000);
  }

  @Override public String toString() {
    return "attacker " + source.getHostString() + ": opened " + opened + ", closed by server " + closedByServer + ", held at most " + maxHeld;
  }
}
