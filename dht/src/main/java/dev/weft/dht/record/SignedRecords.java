package dev.weft.dht.record;

import com.google.protobuf.ByteString;
import dev.weft.dht.pb.WeftRecordProto;
import dev.weft.p2p.crypto.PrivKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * weft's signed DHT values ({@code SignedValue} in weft_record.proto). The signature covers
 * {@code "weft-dht-signed-value/v1\0"} followed by the key, payload, seq and expiry, each
 * length-prefixed or fixed-width, so a signature made for another purpose, key or field layout
 * can never verify here.
 */
public final class SignedRecords {
  /** Domain separator: a signature over anything else than a weft DHT value never matches. */
  static final byte[] DOMAIN = "weft-dht-signed-value/v1\0".getBytes(StandardCharsets.US_ASCII);

  private SignedRecords() {}

  /** Signs {@code payload} for {@code key} with {@code author}; returns the encoded value. */
  public static byte[] sign(PrivKey author, byte[] key, byte[] payload, long seq, long expiresAtEpochMillis) {
    byte[] sig = author.sign(signingBytes(key, payload, seq, expiresAtEpochMillis));
    return WeftRecordProto.SignedValue.newBuilder()
        .setPublicKey(ByteString.copyFrom(author.publicKey().marshal()))
        .setPayload(ByteString.copyFrom(payload))
        .setSeq(seq)
        .setExpiresAtMillis(expiresAtEpochMillis)
        .setSignature(ByteString.copyFrom(sig))
        .build().toByteArray();
  }

  /** The exact bytes a signature covers. */
  public static byte[] signingBytes(byte[] key, byte[] payload, long seq, long expiresAtEpochMillis) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(DOMAIN.length + key.length + payload.length + 24);
    out.writeBytes(DOMAIN);
    writeInt(out, key.length);
    out.writeBytes(key);
    writeInt(out, payload.length);
    out.writeBytes(payload);
    writeLong(out, seq);
    writeLong(out, expiresAtEpochMillis);
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    for (int s = 24; s >= 0; s -= 8) out.write(v >>> s);
  }

  private static void writeLong(ByteArrayOutputStream out, long v) {
    for (int s = 56; s >= 0; s -= 8) out.write((int) (v >>> s));
  }
}
