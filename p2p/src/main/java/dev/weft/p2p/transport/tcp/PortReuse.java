package dev.weft.p2p.transport.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * SO_REUSEADDR + SO_REUSEPORT on our TCP sockets, so that a dial can bind the port a listener
 * holds. Linux lets a second socket bind a port only if every socket on it set SO_REUSEPORT
 * (SO_REUSEADDR alone does not allow binding next to a listener), so both the listener and each
 * dialling socket get it.
 *
 * <p>Netty's epoll client channel has no SO_REUSEPORT option of its own, so it is set as a raw
 * integer socket option: {@code SOL_SOCKET} 1, {@code SO_REUSEPORT} 15 — the values of every
 * Linux architecture the epoll transport ships for (x86, arm, aarch64, riscv, ppc64le, s390x;
 * only alpha, mips, parisc and sparc differ).
 */
final class PortReuse {
  private static final ChannelOption<Integer> RAW_SO_REUSEPORT = new IntegerUnixChannelOption("SO_REUSEPORT", 1, 15);
  private static final boolean NIO_SUPPORTED = nioSupported();

  private PortReuse() {}

  /** Whether sockets of this kind (epoll or NIO) can reuse ports on this platform. */
  static boolean supported(boolean epoll) {
    return epoll || NIO_SUPPORTED;
  }

  static void applyToListener(ServerBootstrap b, boolean epoll) {
    b.option(ChannelOption.SO_REUSEADDR, true);
    if (epoll) b.option(EpollChannelOption.SO_REUSEPORT, true);
    else b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
  }

  static void apply(Bootstrap b, boolean epoll) {
    b.option(ChannelOption.SO_REUSEADDR, true);
    if (epoll) b.option(RAW_SO_REUSEPORT, 1);
    else b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
  }

  /**
   * Whether a dial from a fixed local address failed because of that address (the four-tuple is
   * taken — TIME_WAIT, or another connection to the same peer — or the address cannot be bound)
   * rather than because the remote refused or did not answer: then an ephemeral port may do.
   */
  static boolean localAddressTrouble(Throwable cause) {
    if (cause instanceof BindException) return true;
    String m = cause == null ? null : cause.getMessage();
    if (m == null) return false;
    return m.contains("Address already in use") || m.contains("Cannot assign requested address") || m.contains("Invalid argument");
  }

  private static boolean nioSupported() {
    try (ServerSocketChannel s = ServerSocketChannel.open(); SocketChannel c = SocketChannel.open()) {
      return s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT) && c.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
