package dev.weft.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of the spec's key protobufs, signatures and peer ids (a CI-speed complement to
 * KeysFuzzTest): only {@link IllegalArgumentException} escapes, accepted keys re-marshal to the
 * input, and a mutated signature never verifies.
 */
class KeyDecoderMutationPropertyTest {
  private static final long SEED = 0x5eed_0005L;
  private static final String[] PUBLIC = {SpecVectors.ED25519_PUBLIC, SpecVectors.SECP256K1_PUBLIC, SpecVectors.ECDSA_PUBLIC, SpecVectors.RSA_PUBLIC};
  private static final String[] PRIVATE = {SpecVectors.ED25519_PRIVATE, SpecVectors.SECP256K1_PRIVATE, SpecVectors.ECDSA_PRIVATE};
  private static final byte[] MSG = "mutated".getBytes(StandardCharsets.UTF_8);

  @Test
  void publicKeys() {
    qt().withFixedSeed(SEED).withExamples(2000).forAll(longs().all()).checkAssert(s -> {
      SplittableRandom r = new SplittableRandom(s);
      byte[] input = mutate(HexFormat.of().parseHex(PUBLIC[r.nextInt(PUBLIC.length)]), r);
      try {
        PubKey k = Keys.unmarshalPublicKey(input);
        assertThat(k.marshal()).isEqualTo(input);
        PeerId.fromPublicKey(k);
      } catch (IllegalArgumentException expected) {
        // rejected cleanly
      }
    });
  }

  @Test
  void privateKeys() {
    // RSA is left out: each accepted RSA key costs a self-test signature; KeysFuzzTest covers it
    qt().withFixedSeed(SEED + 1).withExamples(500).forAll(longs().all()).checkAssert(s -> {
      SplittableRandom r = new SplittableRandom(s);
      byte[] input = mutate(HexFormat.of().parseHex(PRIVATE[r.nextInt(PRIVATE.length)]), r);
      try {
        PrivKey k = Keys.unmarshalPrivateKey(input);
        assertThat(k.marshal()).isEqualTo(input);
        assertThat(k.publicKey().verify(MSG, k.sign(MSG))).isTrue();
      } catch (IllegalArgumentException expected) {
        // rejected cleanly
      }
    });
  }

  @Test
  void mutatedSignaturesNeverVerify() {
    PrivKey[] keys = new PrivKey[PRIVATE.length + 1];
    for (int i = 0; i < PRIVATE.length; i++) keys[i] = Keys.unmarshalPrivateKey(HexFormat.of().parseHex(PRIVATE[i]));
    keys[PRIVATE.length] = Keys.unmarshalPrivateKey(HexFormat.of().parseHex(SpecVectors.RSA_PRIVATE));
    byte[][] sigs = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) sigs[i] = keys[i].sign(MSG);
    qt().withFixedSeed(SEED + 2).withExamples(1000).forAll(longs().all()).checkAssert(s -> {
      SplittableRandom r = new SplittableRandom(s);
      int i = r.nextInt(keys.length);
      byte[] sig = mutate(sigs[i].clone(), r);
      if (Arrays.equals(sig, sigs[i])) return;
      // low-S/high-S twins or DER re-encodings could be valid; byte edits of a DER signature
      // that still parse as the same (r, s) are impossible because we require canonical DER
      assertThat(keys[i].publicKey().verify(MSG, sig)).as("key %d", i).isFalse();
    });
  }

  @Test
  void peerIdText() {
    String[] ids = {"12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
        "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe"};
    qt().withFixedSeed(SEED + 3).withExamples(3000).forAll(longs().all()).checkAssert(s -> {
      SplittableRandom r = new SplittableRandom(s);
      String text = new String(mutate(ids[r.nextInt(ids.length)].getBytes(StandardCharsets.US_ASCII), r), StandardCharsets.ISO_8859_1);
      try {
        PeerId id = PeerId.parse(text);
        assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
      } catch (IllegalArgumentException expected) {
        // rejected cleanly
      }
    });
  }

  private static byte[] mutate(byte[] in, SplittableRandom r) {
    return Mutations.mutate(in, r);
  }
}
