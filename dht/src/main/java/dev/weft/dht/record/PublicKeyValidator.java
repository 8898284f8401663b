package dev.weft.dht.record;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.dht.pb.WeftRecordProto;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.KeyType;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /pk/<peer id bytes>} → the peer's marshalled PublicKey (the namespace go and js ship).
 * Valid when the value is a PublicKey protobuf whose PeerId is the one in the key; all valid values
 * for a key are the same bytes, so selection is trivial.
 */
public final class PublicKeyValidator implements Validator {
  /** RSA-4096 public keys marshal to about 550 bytes; nothing legitimate is larger. */
  public static final int MAX_KEY_BYTES = 1024;

  @Override public void validate(byte[] key, byte[] value, long nowEpochMillis) throws InvalidRecordException {
    if (!Keys.hasPrefix(key, Keys.PK_PREFIX)) throw new InvalidRecordException("not a /pk/ key");
    if (value.length == 0 || value.length > MAX_KEY_BYTES) throw new InvalidRecordException("public key of " + value.length + " bytes");
    PeerId named;
    try {
      named = PeerId.fromBytes(Arrays.copyOfRange(key, Keys.PK_PREFIX.length(), key.length));
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("/pk/ key does not hold a peer id: " + e.getMessage());
    }
    try {
      WeftRecordProto.LibP2pPublicKey pk = WeftRecordProto.LibP2pPublicKey.parseFrom(value);
      KeyType.fromWire(pk.getType());
      if (pk.getData().isEmpty()) throw new InvalidRecordException("public key without data");
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new InvalidRecordException("value is not a public key: " + e.getMessage());
    }
    if (!Keys.peerIdOfMarshalledKey(value).equals(named)) throw new InvalidRecordException("public key does not match the peer id in the key");
  }

  @Override public int select(byte[] key, List<byte[]> values) {
    return 0;
  }
}
