package dev.weft.node.round.sim;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundSigner;
import dev.weft.node.round.msg.SignatureVerifier;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Signatures for the simulator: a keyed SHA-256 (64 bytes: two domain-separated hashes of secret ‖
 * data), about 50 times cheaper than Ed25519 so 256-peer rounds run in seconds. Unforgeable inside
 * the simulation in the sense that matters: a simulated attacker gets only its own signer, never
 * another peer's secret; only the verifier (the simulated "public key" check) holds the secrets.
 * The production scheme is Ed25519 ({@code Ed25519RoundKeys}), tested with the codec.
 */
public final class SimSignatures {
  private final Map<PeerKey, byte[]> secrets = new HashMap<>();
  private final boolean checking;

  /** @param checking false makes {@link #verifier()} accept anything: the "no signature checks" baseline of attack tests */
  public SimSignatures(boolean checking) {
    this.checking = checking;
  }

  public RoundSigner newSigner(SplittableRandom rnd) {
    byte[] secret = new byte[32];
    for (int i = 0; i < 32; i++) secret[i] = (byte) rnd.nextInt(256);
    PeerKey key = new PeerKey(Digest.of("sim-pub".getBytes(), secret).bytes());
    secrets.put(key, secret);
    return new RoundSigner() {
      @Override
      public PeerKey key() {
        return key;
      }

      @Override
      public byte[] sign(byte[] data) {
        return mac(secret, data);
      }
    };
  }

  public SignatureVerifier verifier() {
    return (signer, data, signature) -> {
      if (!checking) return true;
      byte[] s = secrets.get(signer);
      return s != null && MessageDigest.isEqual(mac(s, data), signature);
    };
  }

  private static byte[] mac(byte[] secret, byte[] data) {
    MessageDigest md = Digest.sha256();
    md.update(secret);
    md.update((byte) 1);
    md.update(data);
    byte[] a = md.digest();
    md.update(secret);
    md.update((byte) 2);
    md.update(a);
    byte[] b = md.digest();
    byte[] out = new byte[64];
    System.arraycopy(a, 0, out, 0, 32);
    System.arraycopy(b, 0, out, 32, 32);
    return out;
  }
}
