package dev.weft.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.weft.p2p.api.PeerId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Laws of Ed25519 identities: marshal round trips, both peer id text forms, sign/verify. */
class KeysPropertyTest {
  private static final long SEED = 0x5eed_0003L;

  @Test
  void ed25519IdentityRoundTrips() {
    qt().withFixedSeed(SEED).withExamples(300).forAll(longs().all()).checkAssert(n -> {
      Ed25519PrivKey key = Ed25519.fromSeedNumber(n);
      assertThat(Keys.unmarshalPrivateKey(key.marshal())).isEqualTo(key);
      assertThat(Keys.unmarshalPublicKey(key.publicKey().marshal())).isEqualTo(key.publicKey());
      PeerId id = PeerId.fromPublicKey(key.publicKey());
      assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
      assertThat(PeerId.parse(id.toCid().toString())).isEqualTo(id);
      assertThat(PeerId.fromBytes(id.bytes())).isEqualTo(id);
      assertThat(id.publicKey()).contains(key.publicKey());
    });
  }

  @Test
  void signaturesVerifyOnlyForTheirMessageAndKey() {
    qt().withFixedSeed(SEED + 1).withExamples(200).forAll(longs().all()).checkAssert(seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      Ed25519PrivKey key = Ed25519.fromSeedNumber(r.nextLong());
      byte[] msg = new byte[r.nextInt(200)];
      r.nextBytes(msg);
      byte[] sig = key.sign(msg);
      assertThat(key.publicKey().verify(msg, sig)).isTrue();
      byte[] flipped = sig.clone();
      flipped[r.nextInt(sig.length)] ^= (byte) (1 << r.nextInt(8));
      assertThat(key.publicKey().verify(msg, flipped)).isFalse();
      if (msg.length > 0) {
        byte[] other = msg.clone();
        other[r.nextInt(msg.length)] ^= 1;
        assertThat(key.publicKey().verify(other, sig)).isFalse();
      }
      assertThat(Ed25519.fromSeedNumber(r.nextLong()).publicKey().verify(msg, sig)).isFalse();
    });
  }
}
