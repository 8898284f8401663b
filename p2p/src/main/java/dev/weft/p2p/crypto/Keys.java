package dev.weft.p2p.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.crypto.pb.CryptoPb;
import java.util.Arrays;

/**
 * The libp2p key protobufs (peer-ids.md): marshalling and type-dispatching unmarshalling.
 * Unmarshalling is strict: the bytes must be exactly the deterministic encoding we would produce
 * (fields in order, nothing extra), because peer ids hash these bytes.
 */
public final class Keys {
  /** Largest key protobuf accepted: an 8192-bit RSA private key in PKCS#1 DER is about 4.7 KiB. */
  public static final int MAX_KEY_PROTOBUF_BYTES = 8192;

  private Keys() {}

  /**
   * Decodes a {@code PublicKey} protobuf of any supported type.
   *
   * @throws IllegalArgumentException on malformed, non-canonical or unsupported input
   */
  public static PubKey unmarshalPublicKey(byte[] bytes) {
    CryptoPb.PublicKey msg;
    try {
      msg = CryptoPb.PublicKey.parseFrom(checkSize(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed PublicKey protobuf: " + e.getMessage(), e);
    }
    PubKey key = publicKey(KeyType.fromWire(msg.getType().getNumber()), msg.getData().toByteArray());
    if (!Arrays.equals(key.marshal(), bytes)) throw new IllegalArgumentException("PublicKey protobuf is not deterministically encoded");
    return key;
  }

  /** A public key from its type and Data bytes. */
  public static PubKey publicKey(KeyType type, byte[] data) {
    return switch (type) {
      case ED25519 -> new Ed25519PubKey(data);
      case SECP256K1 -> new Secp256k1PubKey(data);
      case ECDSA -> new EcdsaPubKey(data);
      case RSA -> new RsaPubKey(data);
    };
  }

  /**
   * Decodes a {@code PrivateKey} protobuf.
   *
   * @throws IllegalArgumentException on malformed, non-canonical or unsupported input
   */
  public static PrivKey unmarshalPrivateKey(byte[] bytes) {
    CryptoPb.PrivateKey msg;
    try {
      msg = CryptoPb.PrivateKey.parseFrom(checkSize(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed PrivateKey protobuf: " + e.getMessage(), e);
    }
    byte[] data = msg.getData().toByteArray();
    KeyType type = KeyType.fromWire(msg.getType().getNumber());
    if (!Arrays.equals(marshalPrivate(type, data), bytes)) throw new IllegalArgumentException("PrivateKey protobuf is not deterministically encoded");
    return switch (type) {
      case ED25519 -> Ed25519PrivKey.fromData(data);
      case SECP256K1 -> Secp256k1PrivKey.fromData(data);
      case ECDSA -> EcdsaPrivKey.fromData(data);
      case RSA -> RsaPrivKey.fromData(data);
    };
  }

  static byte[] marshalPublic(KeyType type, byte[] data) {
    return CryptoPb.PublicKey.newBuilder().setType(pbType(type)).setData(ByteString.copyFrom(data)).build().toByteArray();
  }

  static byte[] marshalPrivate(KeyType type, byte[] data) {
    return CryptoPb.PrivateKey.newBuilder().setType(pbType(type)).setData(ByteString.copyFrom(data)).build().toByteArray();
  }

  private static CryptoPb.KeyType pbType(KeyType type) {
    return CryptoPb.KeyType.forNumber(type.wire);
  }

  private static byte[] checkSize(byte[] bytes) {
    if (bytes.length > MAX_KEY_PROTOBUF_BYTES) throw new IllegalArgumentException("key protobuf longer than " + MAX_KEY_PROTOBUF_BYTES + " bytes");
    return bytes;
  }
}
