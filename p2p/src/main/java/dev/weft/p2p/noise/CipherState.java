package dev.weft.p2p.noise;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState (noise.md section 5.1) for ChaChaPoly: a 32-byte key and a 64-bit counter
 * nonce, encoded as 4 zero bytes then the counter little-endian (noise.md section 12.3). One
 * {@link Cipher} instance is kept and re-initialised per message.
 *
 * <p>Not thread-safe: one per direction, used on the channel's event loop.
 */
public final class CipherState {
  public static final int KEY_LENGTH = 32;
  public static final int TAG_LENGTH = 16;
  /** noise.md 5.1: the nonce 2^64-1 is reserved; reaching it ends the session. */
  private static final long MAX_NONCE = -1L;

  private final byte[] iv = new byte[12];
  private Cipher cipher;
  private SecretKeySpec key;
  private long nonce;

  public boolean hasKey() {
    return key != null;
  }

  public void initializeKey(byte[] k) {
    if (k.length != KEY_LENGTH) throw new IllegalArgumentException("ChaChaPoly keys are 32 bytes");
    key = new SecretKeySpec(k, "ChaCha20");
    nonce = 0;
    if (cipher == null) cipher = newCipher();
  }

  /** Encrypts {@code plaintext} with associated data {@code ad}; without a key, returns it unchanged. */
  public byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
    if (!hasKey()) return plaintext;
    init(Cipher.ENCRYPT_MODE);
    try {
      if (ad.length > 0) cipher.updateAAD(ad);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new NoiseException("encryption failed", e);
    }
  }

  /** Decrypts and authenticates; without a key, returns {@code ciphertext} unchanged. */
  public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
    if (!hasKey()) return ciphertext;
    if (ciphertext.length < TAG_LENGTH) throw new NoiseException("ciphertext shorter than its tag");
    init(Cipher.DECRYPT_MODE);
    try {
      if (ad.length > 0) cipher.updateAAD(ad);
      return cipher.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new NoiseException("message failed authentication");
    } catch (GeneralSecurityException e) {
      throw new NoiseException("decryption failed", e);
    }
  }

  /**
   * Encrypts {@code length} bytes of {@code buf} at {@code offset} in place and writes the tag right
   * after them (the array must have 16 bytes of room there). Empty associated data: a transport
   * message. Array-based on purpose: the JDK's ChaCha20-Poly1305 is several times faster on
   * arrays than on ByteBuffers.
   */
  public void encryptInPlace(byte[] buf, int offset, int length) throws NoiseException {
    init(Cipher.ENCRYPT_MODE);
    try {
      cipher.doFinal(buf, offset, length, buf, offset);
    } catch (GeneralSecurityException e) {
      throw new NoiseException("encryption failed", e);
    }
  }

  /**
   * Decrypts one transport message ({@code length} bytes including the tag) into {@code out} at
   * {@code outOffset}; returns the plaintext length.
   */
  public int decrypt(byte[] in, int offset, int length, byte[] out, int outOffset) throws NoiseException {
    if (length < TAG_LENGTH) throw new NoiseException("ciphertext shorter than its tag");
    init(Cipher.DECRYPT_MODE);
    try {
      return cipher.doFinal(in, offset, length, out, outOffset);
    } catch (AEADBadTagException e) {
      throw new NoiseException("message failed authentication");
    } catch (GeneralSecurityException e) {
      throw new NoiseException("decryption failed", e);
    }
  }

  private void init(int mode) throws NoiseException {
    if (key == null) throw new IllegalStateException("no key");
    if (nonce == MAX_NONCE) throw new NoiseException("nonce space exhausted");
    long n = nonce++;
    for (int i = 0; i < 8; i++) iv[4 + i] = (byte) (n >>> (8 * i));
    try {
      cipher.init(mode, key, new IvParameterSpec(iv));
    } catch (GeneralSecurityException e) {
      throw new NoiseException("cipher init failed", e);
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no ChaCha20-Poly1305", e);
    }
  }
}
