package dev.weft.dht;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.dht.pb.WeftRecordProto;
import dev.weft.p2p.crypto.KeyType;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.crypto.PubKey;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Test-only Ed25519 keys on Bouncy Castle, until p2p's real key classes are on main. Marshals to
 * the libp2p PublicKey protobuf, so PeerIds match what p2p and js derive.
 */
public final class TestEd25519 {
  private TestEd25519() {}

  public static PrivKey generate(Random random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return new Priv(new Ed25519PrivateKeyParameters(seed, 0));
  }

  /** Decodes a marshalled Ed25519 PublicKey; the {@code PubKeyDecoder} for tests. */
  public static PubKey decode(byte[] marshalled) {
    try {
      WeftRecordProto.LibP2pPublicKey pk = WeftRecordProto.LibP2pPublicKey.parseFrom(marshalled);
      if (pk.getType() != KeyType.ED25519.wire || pk.getData().size() != 32) throw new IllegalArgumentException("not an Ed25519 key");
      return new Pub(new Ed25519PublicKeyParameters(pk.getData().toByteArray(), 0));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed public key", e);
    }
  }

  record Pub(Ed25519PublicKeyParameters key) implements PubKey {
    @Override public KeyType type() {
      return KeyType.ED25519;
    }

    @Override public byte[] raw() {
      return key.getEncoded();
    }

    @Override public byte[] marshal() {
      return WeftRecordProto.LibP2pPublicKey.newBuilder().setType(KeyType.ED25519.wire).setData(ByteString.copyFrom(raw())).build().toByteArray();
    }

    @Override public boolean verify(byte[] data, byte[] signature) {
      if (signature.length != 64) return false;
      Ed25519Signer s = new Ed25519Signer();
      s.init(false, key);
      s.update(data, 0, data.length);
      return s.verifySignature(signature);
    }
  }

  record Priv(Ed25519PrivateKeyParameters key) implements PrivKey {
    @Override public KeyType type() {
      return KeyType.ED25519;
    }

    @Override public PubKey publicKey() {
      return new Pub(key.generatePublicKey());
    }

    @Override public byte[] sign(byte[] data) {
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, key);
      s.update(data, 0, data.length);
      return s.generateSignature();
    }

    @Override public byte[] marshal() {
      byte[] both = Arrays.copyOf(key.getEncoded(), 64);
      System.arraycopy(publicKey().raw(), 0, both, 32, 32);
      return WeftRecordProto.LibP2pPublicKey.newBuilder().setType(KeyType.ED25519.wire).setData(ByteString.copyFrom(both)).build().toByteArray();
    }
  }
}
