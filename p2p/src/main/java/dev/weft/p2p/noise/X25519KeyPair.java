package dev.weft.p2p.noise;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A Curve25519 Diffie-Hellman key pair (RFC 7748), raw 32-byte little-endian encodings as Noise
 * uses them (noise.md section 12.1). Immutable.
 */
public final class X25519KeyPair {
  public static final int KEY_LENGTH = 32;

  private final byte[] privateKey;
  private final byte[] publicKey;

  private X25519KeyPair(byte[] privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new byte[KEY_LENGTH];
    X25519.generatePublicKey(privateKey, 0, publicKey, 0);
  }

  public static X25519KeyPair generate(SecureRandom random) {
    byte[] k = new byte[KEY_LENGTH];
    X25519.generatePrivateKey(random, k);
    return new X25519KeyPair(k);
  }

  /** From a known private key (test vectors). */
  public static X25519KeyPair fromPrivate(byte[] privateKey) {
    if (privateKey.length != KEY_LENGTH) throw new IllegalArgumentException("X25519 private keys are 32 bytes");
    return new X25519KeyPair(privateKey.clone());
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * DH(self, remote). Fails on a low-order remote point (all-zero result), which would let a peer
   * force a known shared secret.
   */
  byte[] dh(byte[] remotePublic) throws NoiseException {
    if (remotePublic.length != KEY_LENGTH) throw new NoiseException("X25519 public key must be 32 bytes");
    byte[] out = new byte[KEY_LENGTH];
    if (!X25519.calculateAgreement(privateKey, 0, remotePublic, 0, out, 0)) {
      throw new NoiseException("remote X25519 key is a low-order point");
    }
    return out;
  }
}
