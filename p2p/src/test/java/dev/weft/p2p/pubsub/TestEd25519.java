package dev.weft.p2p.pubsub;

import dev.weft.p2p.crypto.KeyType;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.crypto.PubKey;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A test-only Ed25519 key pair on Bouncy Castle, marshalled as the libp2p key protobufs, until the
 * real {@code dev.weft.p2p.crypto.Ed25519} is on main.
 */
public final class TestEd25519 {
  private static final byte[] PUB_PREFIX = {0x08, 0x01, 0x12, 0x20};

  private TestEd25519() {}

  /** A key from a seeded random source (deterministic in simulations). */
  public static PrivKey generate(Random random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return new Priv(new Ed25519PrivateKeyParameters(seed, 0));
  }

  /** Decodes a marshalled libp2p Ed25519 public key. */
  public static PubKey decode(byte[] marshalled) {
    if (marshalled.length != 36 || !Arrays.equals(Arrays.copyOf(marshalled, 4), PUB_PREFIX)) {
      throw new IllegalArgumentException("not a marshalled Ed25519 public key");
    }
    return new Pub(Arrays.copyOfRange(marshalled, 4, 36));
  }

  public static final PublicKeyDecoder DECODER = TestEd25519::decode;

  private record Priv(Ed25519PrivateKeyParameters key) implements PrivKey {
    @Override public KeyType type() {
      return KeyType.ED25519;
    }

    @Override public PubKey publicKey() {
      return new Pub(key.generatePublicKey().getEncoded());
    }

    @Override public byte[] sign(byte[] data) {
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, key);
      s.update(data, 0, data.length);
      return s.generateSignature();
    }

    @Override public byte[] marshal() {
      byte[] out = new byte[68];
      out[0] = 0x08;
      out[1] = 0x01;
      out[2] = 0x12;
      out[3] = 0x40;
      System.arraycopy(key.getEncoded(), 0, out, 4, 32);
      System.arraycopy(key.generatePublicKey().getEncoded(), 0, out, 36, 32);
      return out;
    }
  }

  private record Pub(byte[] raw) implements PubKey {
    @Override public KeyType type() {
      return KeyType.ED25519;
    }

    @Override public byte[] raw() {
      return raw.clone();
    }

    @Override public byte[] marshal() {
      byte[] out = new byte[36];
      System.arraycopy(PUB_PREFIX, 0, out, 0, 4);
      System.arraycopy(raw, 0, out, 4, 32);
      return out;
    }

    @Override public boolean verify(byte[] data, byte[] signature) {
      if (signature == null || signature.length != 64) return false;
      Ed25519Signer s = new Ed25519Signer();
      s.init(false, new Ed25519PublicKeyParameters(raw, 0));
      s.update(data, 0, data.length);
      return s.verifySignature(signature);
    }
  }
}
