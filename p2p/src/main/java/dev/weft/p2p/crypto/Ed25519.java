package dev.weft.p2p.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/** Ed25519 key creation. */
public final class Ed25519 {
  private Ed25519() {}

  public static Ed25519PrivKey generate(SecureRandom random) {
    byte[] seed = new byte[Ed25519PrivKey.SEED_BYTES];
    random.nextBytes(seed);
    return new Ed25519PrivKey(seed);
  }

  public static Ed25519PrivKey fromSeed(byte[] seed) {
    return new Ed25519PrivKey(seed);
  }

  /**
   * The deterministic test identity of {@code weft p2p serve --seed N}: a 32-byte seed whose bytes
   * 0..23 are zero and bytes 24..31 hold {@code n} big-endian. js-libp2p tests derive the same key
   * with {@code generateKeyPairFromSeed('Ed25519', seed)}. Never use it for a real identity.
   */
  public static Ed25519PrivKey fromSeedNumber(long n) {
    byte[] seed = new byte[Ed25519PrivKey.SEED_BYTES];
    ByteBuffer.wrap(seed, 24, 8).putLong(n);
    return new Ed25519PrivKey(seed);
  }
}
