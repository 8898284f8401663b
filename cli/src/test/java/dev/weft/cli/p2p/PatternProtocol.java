package dev.weft.cli.p2p;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.protocol.io.ChunkedWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Test-only {@code /weft/test/pattern/1.0.0}: perf's shape, but every byte is checked. Byte i of a
 * transfer is {@code i mod 251} (prime, so a lost or repeated power-of-two chunk shows). The client
 * sends an 8-byte big-endian download size, then its upload, then closes; the server verifies the
 * upload, answers with the 8-byte count of verified bytes followed by the download, and closes.
 * The same protocol is implemented in interop/js/peer.mjs.
 */
public final class PatternProtocol {
  public static final String ID = "/weft/test/pattern/1.0.0";
  private static final int PERIOD = 251;
  private static final byte[] PATTERN = new byte[PERIOD * 263]; // >= CHUNK + PERIOD - 1

  static {
    for (int i = 0; i < PATTERN.length; i++) PATTERN[i] = (byte) (i % PERIOD);
  }

  /** Issues the writes of every pattern transfer (see ChunkedWriter on why one serial executor). */
  private static final java.util.concurrent.Executor WRITER = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "pattern-writer");
    t.setDaemon(true);
    return t;
  });

  private PatternProtocol() {}

  static ByteBuf chunk(long offset, int len) {
    return Unpooled.wrappedBuffer(PATTERN, (int) (offset % PERIOD), len);
  }

  /** Verifies a stream of pattern bytes. */
  static final class Checker {
    long seen;

    void check(ByteBuf data) throws IOException {
      // One bulk copy: per-byte reads are slow under paranoid leak detection (each records a trace).
      byte[] bytes = new byte[data.readableBytes()];
      data.readBytes(bytes);
      int phase = (int) (seen % PERIOD);
      for (int i = 0; i < bytes.length; i++) {
        if ((bytes[i] & 0xff) != phase) throw new IOException("pattern mismatch at byte " + (seen + i));
        if (++phase == PERIOD) phase = 0;
      }
      seen += bytes.length;
    }
  }

  /** The server side, for {@code host.setStreamHandler(ID, PatternProtocol::serve)}. */
  public static void serve(Stream stream) {
    stream.setHandler(new StreamHandler() {
      final ByteBuf header = Unpooled.buffer(8);
      final Checker checker = new Checker();
      long toSend = -1;

      @Override public void onData(Stream s, ByteBuf data) {
        try {
          if (toSend < 0) {
            data.readBytes(header, Math.min(header.writableBytes(), data.readableBytes()));
            if (header.writableBytes() > 0) return;
            toSend = header.readLong();
          }
          checker.check(data);
        } catch (IOException e) {
          s.reset();
        }
      }

      @Override public void onRemoteClosed(Stream s) {
        if (toSend < 0) {
          s.reset();
          return;
        }
        s.write(Unpooled.buffer(8).writeLong(checker.seen));
        new ChunkedWriter(s, toSend, PatternProtocol::chunk, WRITER).start().whenComplete((v, e) -> {
          if (e == null) s.closeWrite();
          else s.reset();
        });
      }

      @Override public void onClosed(Stream s, Throwable cause) {
        header.release();
      }
    });
  }

  /** The client: uploads {@code upload} pattern bytes, asks for {@code download}; completes once all checked. */
  public static CompletableFuture<Void> run(Stream stream, long upload, long download) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    stream.setHandler(new StreamHandler() {
      final byte[] header = new byte[8];
      int headerFilled;
      final Checker checker = new Checker();

      @Override public void onData(Stream s, ByteBuf data) {
        try {
          if (headerFilled < 8) {
            int n = Math.min(8 - headerFilled, data.readableBytes());
            data.readBytes(header, headerFilled, n);
            headerFilled += n;
            if (headerFilled < 8) return;
            long verified = Unpooled.wrappedBuffer(header).readLong();
            if (verified != upload) throw new IOException("server verified " + verified + " of " + upload + " bytes");
          }
          checker.check(data);
          if (checker.seen > download) throw new IOException("server sent more than " + download + " bytes");
        } catch (IOException e) {
          done.completeExceptionally(e);
          s.reset();
        }
      }

      @Override public void onRemoteClosed(Stream s) {
        if (headerFilled == 8 && checker.seen == download) done.complete(null);
        else done.completeExceptionally(new IOException("stream ended after " + checker.seen + " of " + download + " bytes"));
      }

      @Override public void onClosed(Stream s, Throwable cause) {
        if (!done.isDone()) done.completeExceptionally(cause != null ? cause : new IOException("closed early"));
      }
    });
    stream.write(Unpooled.buffer(8).writeLong(download));
    new ChunkedWriter(stream, upload, PatternProtocol::chunk, WRITER).start().whenComplete((v, e) -> {
      if (e == null) stream.closeWrite();
      else done.completeExceptionally(e);
    });
    return done;
  }
}
