package dev.weft.p2p.protocol.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.time.SimScheduler;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class LengthPrefixedReaderTest {
  final SimScheduler sim = new SimScheduler(1);
  final StubStream stream = new StubStream();

  @Test void readsAMessageSplitAcrossChunksAndIgnoresTrailingBytes() {
    LengthPrefixedReader r = new LengthPrefixedReader(1000, 5000, sim, stream);
    byte[] body = new byte[300];
    for (int i = 0; i < body.length; i++) body[i] = (byte) i;
    byte[] prefix = Varint.encode(body.length);
    r.onData(stream, Unpooled.wrappedBuffer(prefix, 0, 1));
    r.onData(stream, Unpooled.wrappedBuffer(prefix, 1, prefix.length - 1));
    r.onData(stream, Unpooled.wrappedBuffer(body, 0, 100));
    assertThat(r.result()).isNotDone();
    r.onData(stream, Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(body, 100, 200), Unpooled.wrappedBuffer(new byte[] {9, 9})));
    assertThat(r.result().join()).isEqualTo(body);
    assertThat(stream.reset).isFalse();
  }

  @Test void oversizedLengthFailsBeforeReadingTheBody() {
    LengthPrefixedReader r = new LengthPrefixedReader(1000, 5000, sim, stream);
    r.onData(stream, Unpooled.wrappedBuffer(Varint.encode(1001)));
    assertThatThrownBy(() -> r.result().join()).hasCauseInstanceOf(MessageTooLargeException.class);
    assertThat(stream.reset).isTrue();
  }

  @Test void overlongAndNonMinimalPrefixesAreRejected() {
    LengthPrefixedReader r = new LengthPrefixedReader(1000, 5000, sim, stream);
    r.onData(stream, Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1}));
    assertThatThrownBy(() -> r.result().join()).hasCauseInstanceOf(ProtocolViolationException.class);
    LengthPrefixedReader r2 = new LengthPrefixedReader(1000, 5000, sim, new StubStream());
    r2.onData(stream, Unpooled.wrappedBuffer(new byte[] {(byte) 0x85, 0}));
    assertThatThrownBy(() -> r2.result().join()).hasMessageContaining("non-minimal");
  }

  @Test void silenceTimesOutAndEarlyEndFails() {
    LengthPrefixedReader r = new LengthPrefixedReader(1000, 5000, sim, stream);
    r.onData(stream, Unpooled.wrappedBuffer(new byte[] {10, 1, 2}));
    sim.runFor(4999);
    assertThat(r.result()).isNotDone();
    sim.runFor(1);
    assertThatThrownBy(() -> r.result().join()).hasCauseInstanceOf(TimeoutException.class);
    LengthPrefixedReader r2 = new LengthPrefixedReader(1000, 5000, sim, stream);
    r2.onData(stream, Unpooled.wrappedBuffer(new byte[] {10, 1, 2}));
    r2.onRemoteClosed(stream);
    assertThatThrownBy(() -> r2.result().join()).hasMessageContaining("2 of 10 bytes");
  }

  @Test void emptyMessageIsFine() {
    LengthPrefixedReader r = new LengthPrefixedReader(1000, 5000, sim, stream);
    r.onData(stream, Unpooled.wrappedBuffer(new byte[] {0}));
    assertThat(r.result().join()).isEmpty();
  }
}
