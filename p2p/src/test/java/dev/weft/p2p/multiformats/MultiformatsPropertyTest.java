package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Round-trip laws of varints, base58, multibase, multihash and CIDs. */
class MultiformatsPropertyTest {
  private static final long SEED = 0x5eed_0002L;

  @Test
  void varintRoundTrip() {
    qt().withFixedSeed(SEED).withExamples(5000).forAll(longs().between(0, Long.MAX_VALUE)).checkAssert(v -> {
      byte[] b = Varint.encode(v);
      assertThat(b).hasSize(Varint.size(v));
      assertThat(Varint.decode(b, 0)).isEqualTo(new Varint.Decoded(v, b.length));
    });
  }

  @Test
  void everyMultibaseRoundTrips() {
    qt().withFixedSeed(SEED + 1).withExamples(1000).forAll(longs().all()).checkAssert(seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      byte[] data = RandomMultiaddrs.bytes(r, r.nextInt(0, 80));
      if (r.nextBoolean() && data.length > 0) Arrays.fill(data, 0, r.nextInt(data.length), (byte) 0); // leading zeros matter to base58
      for (Multibase.Base base : Multibase.Base.values()) {
        String text = Multibase.encode(base, data);
        assertThat(Multibase.decode(text)).as(base.name()).isEqualTo(data);
      }
      assertThat(Base58.decode(Base58.encode(data))).isEqualTo(data);
    });
  }

  @Test
  void cidRoundTrip() {
    qt().withFixedSeed(SEED + 2).withExamples(1000).forAll(longs().all()).checkAssert(seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      long codec = r.nextBoolean() ? new long[] {Cid.RAW, Cid.DAG_PB, Cid.LIBP2P_KEY}[r.nextInt(3)] : r.nextLong(0, Long.MAX_VALUE);
      Multihash mh = r.nextBoolean() ? Multihash.sha256(RandomMultiaddrs.bytes(r, 10)) : Multihash.identity(RandomMultiaddrs.bytes(r, r.nextInt(40)));
      Cid cid = Cid.of(codec, mh);
      assertThat(Cid.decode(cid.bytes())).isEqualTo(cid);
      assertThat(Cid.parse(cid.toString())).isEqualTo(cid);
      for (Multibase.Base base : Multibase.Base.values()) assertThat(Cid.parse(cid.toString(base))).isEqualTo(cid);
      assertThat(cid.codec()).isEqualTo(codec);
      assertThat(cid.multihash()).isEqualTo(mh);
      Cid v0 = Cid.v0(Multihash.sha256(RandomMultiaddrs.bytes(r, 10)));
      assertThat(Cid.parse(v0.toString())).isEqualTo(v0);
      assertThat(Cid.decode(v0.bytes())).isEqualTo(v0);
    });
  }

  @Test
  void multihashRoundTrip() {
    qt().withFixedSeed(SEED + 3).withExamples(1000).forAll(longs().all()).checkAssert(seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      int code = r.nextInt(0, Integer.MAX_VALUE);
      if (code == Multihash.SHA2_256) code = 0;
      Multihash mh = new Multihash(code, RandomMultiaddrs.bytes(r, r.nextInt(Multihash.MAX_DIGEST_BYTES + 1)));
      assertThat(Multihash.decode(mh.bytes())).isEqualTo(mh);
    });
  }
}
