package dev.weft.p2p.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key, held as its 32-byte seed. libp2p Data is {@code seed ‖ public key} (64
 * bytes). Immutable and thread-safe; {@link #toString()} never shows the seed.
 */
public final class Ed25519PrivKey implements PrivKey {
  public static final int SEED_BYTES = 32;

  private final byte[] seed;
  private final Ed25519PrivateKeyParameters params;
  private final Ed25519PubKey publicKey;

  /** @throws IllegalArgumentException if {@code seed} is not 32 bytes */
  public Ed25519PrivKey(byte[] seed) {
    if (seed.length != SEED_BYTES) throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, not " + seed.length);
    this.seed = seed.clone();
    this.params = new Ed25519PrivateKeyParameters(this.seed, 0);
    this.publicKey = new Ed25519PubKey(params.generatePublicKey().getEncoded());
  }

  /**
   * Decodes libp2p Data: {@code seed ‖ pub} (64 bytes), a bare seed (32 bytes), or the legacy
   * {@code seed ‖ pub ‖ pub} (96 bytes). A stored public key must match the seed.
   */
  static Ed25519PrivKey fromData(byte[] data) {
    if (data.length != 32 && data.length != 64 && data.length != 96) {
      throw new IllegalArgumentException("Ed25519 private key must be 32, 64 or 96 bytes, not " + data.length);
    }
    Ed25519PrivKey key = new Ed25519PrivKey(Arrays.copyOf(data, SEED_BYTES));
    byte[] pub = key.publicKey.raw();
    for (int off = 32; off < data.length; off += 32) {
      if (!Arrays.equals(data, off, off + 32, pub, 0, 32)) {
        throw new IllegalArgumentException("Ed25519 private key: stored public key does not match the seed");
      }
    }
    return key;
  }

  @Override public KeyType type() {
    return KeyType.ED25519;
  }

  @Override public Ed25519PubKey publicKey() {
    return publicKey;
  }

  /** The 32-byte seed (secret). */
  public byte[] seed() {
    return seed.clone();
  }

  @Override public byte[] sign(byte[] data) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, params);
    signer.update(data, 0, data.length);
    return signer.generateSignature();
  }

  @Override public byte[] marshal() {
    byte[] data = Arrays.copyOf(seed, 64);
    System.arraycopy(publicKey.raw(), 0, data, 32, 32);
    return Keys.marshalPrivate(KeyType.ED25519, data);
  }

  @Override public boolean equals(Object o) {
    return o instanceof Ed25519PrivKey k && java.security.MessageDigest.isEqual(k.seed, seed);
  }

  @Override public int hashCode() {
    return publicKey.hashCode();
  }

  @Override public String toString() {
    return "Ed25519PrivKey(pub=" + publicKey + ")";
  }
}
