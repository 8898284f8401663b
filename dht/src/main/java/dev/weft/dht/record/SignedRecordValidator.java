package dev.weft.dht.record;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.dht.pb.WeftRecordProto;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PubKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /weft/run/<author base58>/<name>} → a {@link SignedRecords signed value} by that author.
 * Rejects values that are unsigned, signed by another key than the one the key names, badly
 * signed, expired, or too large; among valid values the highest seq wins, then the later expiry,
 * then the larger bytes (so every node picks the same one).
 */
public final class SignedRecordValidator implements Validator {
  /** A signed value (key + payload + signature) must fit in a record: see DhtCodec.MAX_VALUE_BYTES. */
  public static final int MAX_VALUE_BYTES = 16 * 1024;
  /** Longest run name after the author. */
  public static final int MAX_NAME_BYTES = 128;

  private final String prefix;
  private final PubKeyDecoder decoder;

  public SignedRecordValidator(String prefix, PubKeyDecoder decoder) {
    this.prefix = prefix;
    this.decoder = decoder;
  }

  /** The {@code /weft/run/} namespace. */
  public static SignedRecordValidator weftRun(PubKeyDecoder decoder) {
    return new SignedRecordValidator(Keys.WEFT_RUN_PREFIX, decoder);
  }

  @Override public void validate(byte[] key, byte[] value, long nowEpochMillis) throws InvalidRecordException {
    PeerId author = authorOf(key);
    if (value.length > MAX_VALUE_BYTES) throw new InvalidRecordException("value of " + value.length + " bytes exceeds " + MAX_VALUE_BYTES);
    WeftRecordProto.SignedValue sv = parse(value);
    if (sv.getSignature().isEmpty()) throw new InvalidRecordException("unsigned value");
    if (sv.getPublicKey().isEmpty()) throw new InvalidRecordException("value without a public key");
    byte[] marshalled = sv.getPublicKey().toByteArray();
    if (!Keys.peerIdOfMarshalledKey(marshalled).equals(author)) throw new InvalidRecordException("signed by " + Keys.peerIdOfMarshalledKey(marshalled) + ", key names " + author);
    if (sv.getExpiresAtMillis() <= nowEpochMillis) throw new InvalidRecordException("expired at " + sv.getExpiresAtMillis());
    PubKey pub;
    try {
      pub = decoder.decode(marshalled);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("unusable public key: " + e.getMessage());
    }
    byte[] signed = SignedRecords.signingBytes(key, sv.getPayload().toByteArray(), sv.getSeq(), sv.getExpiresAtMillis());
    if (!pub.verify(signed, sv.getSignature().toByteArray())) throw new InvalidRecordException("bad signature");
  }

  private PeerId authorOf(byte[] key) throws InvalidRecordException {
    if (!Keys.hasPrefix(key, prefix)) throw new InvalidRecordException("key outside " + prefix);
    String rest = new String(key, prefix.length(), key.length - prefix.length(), StandardCharsets.UTF_8);
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) throw new InvalidRecordException("key must be " + prefix + "<author>/<name>");
    if (rest.length() - slash - 1 > MAX_NAME_BYTES) throw new InvalidRecordException("name too long");
    try {
      return PeerId.fromBase58(rest.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("key does not name an author: " + e.getMessage());
    }
  }

  private static WeftRecordProto.SignedValue parse(byte[] value) throws InvalidRecordException {
    try {
      return WeftRecordProto.SignedValue.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidRecordException("malformed signed value: " + e.getMessage());
    }
  }

  @Override public long expiresAt(byte[] key, byte[] value) {
    try {
      long e = parse(value).getExpiresAtMillis();
      return e < 0 ? Long.MAX_VALUE : e;
    } catch (InvalidRecordException e) {
      return Long.MIN_VALUE;
    }
  }

  @Override public int select(byte[] key, List<byte[]> values) {
    int best = -1;
    WeftRecordProto.SignedValue bestV = null;
    for (int i = 0; i < values.size(); i++) {
      WeftRecordProto.SignedValue v;
      try {
        v = parse(values.get(i));
      } catch (InvalidRecordException e) {
        continue;
      }
      if (bestV == null || better(v, values.get(i), bestV, values.get(best))) {
        best = i;
        bestV = v;
      }
    }
    return Math.max(best, 0);
  }

  private static boolean better(WeftRecordProto.SignedValue a, byte[] aBytes, WeftRecordProto.SignedValue b, byte[] bBytes) {
    int c = Long.compareUnsigned(a.getSeq(), b.getSeq());
    if (c == 0) c = Long.compareUnsigned(a.getExpiresAtMillis(), b.getExpiresAtMillis());
    if (c == 0) c = Arrays.compareUnsigned(aBytes, bBytes);
    return c > 0;
  }
}
