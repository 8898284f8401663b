package dev.weft.p2p.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise SymmetricState (noise.md section 5.2) with SHA-256 and HKDF over HMAC-SHA256
 * (section 4.3). Not thread-safe; lives only during one handshake.
 */
final class SymmetricState {
  static final int HASH_LENGTH = 32;

  private final CipherState cipher = new CipherState();
  private byte[] ck;
  private byte[] h;

  SymmetricState(String protocolName) {
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    h = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256(name);
    ck = h.clone();
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = hkdf(ck, inputKeyMaterial);
    ck = out[0];
    cipher.initializeKey(out[1]);
  }

  void mixHash(byte[] data) {
    MessageDigest d = digest();
    d.update(h);
    d.update(data);
    h = d.digest();
  }

  byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
    byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
    byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  boolean hasKey() {
    return cipher.hasKey();
  }

  /** The handshake hash, for tests (channel binding). */
  byte[] handshakeHash() {
    return h.clone();
  }

  /** The two transport CipherStates: first for initiator→responder, second the other way. */
  CipherState[] split() {
    byte[][] keys = hkdf(ck, new byte[0]);
    CipherState c1 = new CipherState();
    CipherState c2 = new CipherState();
    c1.initializeKey(keys[0]);
    c2.initializeKey(keys[1]);
    Arrays.fill(ck, (byte) 0);
    return new CipherState[] {c1, c2};
  }

  /** HKDF(chainingKey, ikm) with two outputs (noise.md 4.3). */
  static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
    byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
    byte[] out1 = hmac(tempKey, new byte[] {1});
    byte[] in2 = Arrays.copyOf(out1, HASH_LENGTH + 1);
    in2[HASH_LENGTH] = 2;
    byte[] out2 = hmac(tempKey, in2);
    return new byte[][] {out1, out2};
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    return digest().digest(data);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
