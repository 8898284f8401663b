package dev.weft.p2p.yamux;

import dev.weft.p2p.api.Stream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds for {@link YamuxFrameFuzzTest}: the exact bytes a real client session sent to a real
 * server session (two {@link YamuxSession}s on embedded channels), captured as they crossed.
 */
public final class YamuxFuzzSeeds {
  private YamuxFuzzSeeds() {}

  /** name → client-to-server wire bytes. */
  public static Map<String, byte[]> clientToServer() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("echo-stream", capture(p -> {
      Stream s = open(p, "/echo");
      s.write(Unpooled.copiedBuffer("hello yamux", StandardCharsets.UTF_8));
      p.pump();
      s.closeWrite();
    }));
    seeds.put("two-streams-and-ping", capture(p -> {
      Stream a = open(p, "/nope", "/echo");
      Stream b = open(p, "/echo");
      a.write(Unpooled.wrappedBuffer(new byte[3000]));
      p.pump();
      p.client.ping();
      p.pump();
      b.write(Unpooled.copiedBuffer("second", StandardCharsets.UTF_8));
      p.pump();
      b.reset();
      a.closeWrite();
    }));
    seeds.put("goaway", capture(p -> {
      open(p, "/echo");
      p.pump();
      p.client.close();
    }));
    return seeds;
  }

  private static Stream open(CapturingPair p, String... protocols) {
    var f = p.client.newStream(List.of(protocols));
    p.pump();
    if (!f.isDone()) throw new IllegalStateException("stream did not open");
    return f.join();
  }

  private interface Script {
    void run(CapturingPair p);
  }

  private static byte[] capture(Script script) {
    try (CapturingPair p = new CapturingPair()) {
      p.serverHandlers.put("/echo", s -> s.setHandler(YamuxSessionTest.ECHO));
      p.pump();
      script.run(p);
      p.pump();
      return p.captured.toByteArray();
    }
  }

  /** A pair whose pump records what the client sends. */
  private static final class CapturingPair implements AutoCloseable {
    final YamuxPair pair = new YamuxPair();
    final Map<String, dev.weft.p2p.api.ProtocolHandler> serverHandlers = pair.serverHandlers;
    final YamuxSession client = pair.client;
    final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    void pump() {
      for (int i = 0; i < 10_000; i++) {
        pair.clientChannel.runPendingTasks();
        pair.serverChannel.runPendingTasks();
        boolean moved = false;
        for (Object o; (o = pair.clientChannel.readOutbound()) != null; ) {
          moved = true;
          ByteBuf b = (ByteBuf) o;
          captured.writeBytes(ByteBufUtil.getBytes(b));
          if (pair.serverChannel.isOpen()) pair.serverChannel.writeInbound(b);
          else b.release();
        }
        for (Object o; (o = pair.serverChannel.readOutbound()) != null; ) {
          moved = true;
          if (pair.clientChannel.isOpen()) pair.clientChannel.writeInbound(o);
          else ((ByteBuf) o).release();
        }
        if (!moved) return;
      }
      throw new AssertionError("pump did not settle");
    }

    @Override public void close() {
      pair.close();
    }
  }
}
