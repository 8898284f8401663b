package dev.weft.dht.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.TestPeers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Any message within the limits survives encode → decode unchanged, and never exceeds the frame limit. */
class DhtCodecPropertyTest {
  static DhtMessage randomMessage(long seed) {
    Random r = new Random(seed);
    DhtMessage.Type type = DhtMessage.Type.values()[r.nextInt(DhtMessage.Type.values().length)];
    byte[] key = new byte[r.nextInt(DhtCodec.MAX_KEY_BYTES + 1)];
    r.nextBytes(key);
    DhtMessage.DhtRecord rec = null;
    if (r.nextBoolean()) {
      byte[] v = new byte[r.nextInt(2048)];
      r.nextBytes(v);
      rec = new DhtMessage.DhtRecord(key, v, r.nextBoolean() ? "" : "2026-11-25T15:00:00Z");
    }
    List<PeerInfo> closer = new ArrayList<>();
    int nc = r.nextInt(21);
    for (int i = 0; i < nc; i++) {
      List<byte[]> addrs = new ArrayList<>();
      int na = r.nextInt(4);
      for (int j = 0; j < na; j++) addrs.add(TestPeers.addr(r.nextInt(65536)));
      closer.add(PeerInfo.of(TestPeers.peerId(r), addrs));
    }
    List<PeerInfo> providers = r.nextBoolean() ? List.of() : List.of(TestPeers.peer(r));
    return new DhtMessage(type, key, rec, closer, providers);
  }

  @Test
  void roundTrip() {
    qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
      DhtMessage m = randomMessage(seed);
      byte[] wire = DhtCodec.encode(m);
      assertThat(wire.length).isLessThanOrEqualTo(DhtCodec.MAX_MESSAGE_BYTES);
      try {
        DhtMessage back = DhtCodec.decode(wire);
        assertThat(back).isEqualTo(m);
        for (int i = 0; i < m.closerPeers().size(); i++) {
          assertThat(back.closerPeers().get(i).addrs()).usingRecursiveComparison().isEqualTo(m.closerPeers().get(i).addrs());
        }
      } catch (DhtDecodeException e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    });
  }

  @Test
  void truncatedFramesNeverDecodeIntoSomethingElseSilently() {
    qt().withExamples(200).forAll(longs().all(), integers().between(1, 100)).checkAssert((seed, cut) -> {
      byte[] wire = DhtCodec.encode(randomMessage(seed));
      if (wire.length < 2) return;
      byte[] shorter = java.util.Arrays.copyOf(wire, Math.max(0, wire.length - 1 - (cut % wire.length)));
      try {
        DhtMessage m = DhtCodec.decode(shorter);
        // protobuf can legally end on a field boundary; then it must re-encode to those bytes' meaning
        assertThat(DhtCodec.decode(DhtCodec.encode(m))).isEqualTo(m);
      } catch (DhtDecodeException expected) {
        // truncated mid-field: rejected
      }
    });
  }
}
