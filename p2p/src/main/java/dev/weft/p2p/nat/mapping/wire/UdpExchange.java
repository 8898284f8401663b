package dev.weft.p2p.nat.mapping.wire;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One request to a gateway over UDP, retransmitted with a doubling timeout, and the first answer
 * from that gateway that {@code accept} takes. What NAT-PMP (RFC 6886 3.1) and SSDP search both
 * do. Answers from anyone else, and answers {@code accept} turns down, are ignored until the
 * attempt's deadline. Blocking.
 */
public final class UdpExchange {
  private UdpExchange() {}

  /**
   * @param from where answers must come from: an address and port, or an address with port 0 for any port
   * @param accept the answer's bytes to a result, or empty to keep waiting
   * @throws TimeoutException with {@code what} when no accepted answer came in {@code attempts}
   */
  public static <T> T exchange(byte[] request, InetSocketAddress to, InetSocketAddress from, int firstTimeoutMillis, int attempts, int maxAnswerBytes,
      Function<byte[], Optional<T>> accept, String what) throws IOException, TimeoutException {
    try (DatagramSocket s = new DatagramSocket()) {
      byte[] buf = new byte[maxAnswerBytes + 1];
      long timeout = firstTimeoutMillis;
      for (int i = 0; i < attempts; i++, timeout *= 2) {
        s.send(new DatagramPacket(request, request.length, to));
        long deadline = dev.weft.p2p.time.NanoClock.SYSTEM.nowNanos() + timeout * 1_000_000L;
        while (true) {
          long left = (deadline - dev.weft.p2p.time.NanoClock.SYSTEM.nowNanos()) / 1_000_000L;
          if (left <= 0) break;
          s.setSoTimeout((int) left);
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          try {
            s.receive(p);
          } catch (SocketTimeoutException e) {
            break;
          }
          if (!p.getAddress().equals(from.getAddress()) || (from.getPort() != 0 && p.getPort() != from.getPort())) continue;
          if (p.getLength() > maxAnswerBytes) continue; // oversized: not an answer we take
          Optional<T> r = accept.apply(Arrays.copyOf(buf, p.getLength()));
          if (r.isPresent()) return r.get();
        }
      }
    }
    throw new TimeoutException(what);
  }
}
