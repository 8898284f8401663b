package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * CI-speed complement to the Jazzer fuzz tests (which only replay their seeds in CI): many seeded
 * mutations (bit flips, truncations, insertions, duplications) of valid encodings. Each decoder
 * may only throw {@link IllegalArgumentException}, and whatever it accepts must re-encode to the
 * input. The seed of a failing case is printed by QuickTheories.
 */
class DecoderMutationPropertyTest {
  private static final long SEED = 0x5eed_0004L;

  @Test
  void multiaddrBytes() {
    check(SEED, r -> RandomMultiaddrs.multiaddr(r).bytes(), bytes -> {
      Multiaddr ma = Multiaddr.fromBytes(bytes);
      assertThat(ma.bytes()).isEqualTo(bytes);
      assertThat(Multiaddr.parse(ma.toString())).isEqualTo(ma);
    });
  }

  @Test
  void multiaddrText() {
    check(SEED + 1, r -> RandomMultiaddrs.multiaddr(r).toString().getBytes(StandardCharsets.UTF_8), bytes -> {
      Multiaddr ma = Multiaddr.parse(new String(bytes, StandardCharsets.UTF_8));
      assertThat(Multiaddr.fromBytes(ma.bytes())).isEqualTo(ma);
      assertThat(Multiaddr.parse(ma.toString())).isEqualTo(ma);
    });
  }

  @Test
  void cidBytesAndText() {
    check(SEED + 2, r -> Cid.sha256(r.nextInt(0, 1 << 20), RandomMultiaddrs.bytes(r, 8)).bytes(), bytes -> {
      Cid cid = Cid.decode(bytes);
      assertThat(cid.bytes()).isEqualTo(bytes);
    });
    check(SEED + 3, r -> Cid.sha256(Cid.LIBP2P_KEY, RandomMultiaddrs.bytes(r, 8)).toString().getBytes(StandardCharsets.US_ASCII), bytes -> {
      Cid cid = Cid.parse(new String(bytes, StandardCharsets.ISO_8859_1));
      assertThat(Cid.decode(cid.bytes())).isEqualTo(cid);
    });
  }

  /** Mutates {@code valid} inputs; {@code decode} must accept or throw IllegalArgumentException. */
  static void check(long seed, Function<SplittableRandom, byte[]> valid, ThrowingConsumer decode) {
    qt().withFixedSeed(seed).withExamples(3000).forAll(longs().all()).checkAssert(s -> {
      SplittableRandom r = new SplittableRandom(s);
      byte[] input = Mutations.mutate(valid.apply(r), r);
      try {
        decode.accept(input);
      } catch (IllegalArgumentException expected) {
        // rejected cleanly
      }
    });
  }

  /** A decoder call that may throw anything (the property checks what escapes). */
  interface ThrowingConsumer {
    void accept(byte[] input);
  }
}
