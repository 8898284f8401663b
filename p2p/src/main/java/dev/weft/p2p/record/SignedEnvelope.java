package dev.weft.p2p.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.crypto.PubKey;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.record.pb.Envelope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A payload signed by a peer (libp2p RFC 0002): the signer's public key, a payload type, the
 * payload, and a signature over {@code uvarint(len) domain ‖ uvarint(len) type ‖ uvarint(len)
 * payload}. The domain string is never on the wire: the reader names the domain it expects, so a
 * signature made for one purpose cannot be replayed as another.
 *
 * <p>{@link #open} checks the size first, then the signature, and only then lets the caller look
 * at the payload — the order the RFC asks for, so an unverified payload is never parsed.
 */
public record SignedEnvelope(PubKey publicKey, byte[] payloadType, byte[] payload, byte[] signature) {
  /** Largest envelope {@link #open} accepts: a peer record with 32 addresses of 1 KiB fits. */
  public static final int MAX_BYTES = 40 * 1024;

  public SignedEnvelope {
    payloadType = payloadType.clone();
    payload = payload.clone();
    signature = signature.clone();
  }

  /** Signs {@code payload} under {@code domain}. */
  public static SignedEnvelope seal(PrivKey key, String domain, byte[] payloadType, byte[] payload) {
    byte[] sig = key.sign(signedBytes(domain, payloadType, payload));
    return new SignedEnvelope(key.publicKey(), payloadType, payload, sig);
  }

  /**
   * Decodes and verifies an envelope signed under {@code domain} with payload type
   * {@code expectedType}.
   *
   * @throws InvalidRecordException when it is too large, malformed, of another type, or badly signed
   */
  public static SignedEnvelope open(byte[] bytes, String domain, byte[] expectedType) throws InvalidRecordException {
    if (bytes.length > MAX_BYTES) throw new InvalidRecordException("envelope of " + bytes.length + " bytes exceeds " + MAX_BYTES);
    Envelope m;
    try {
      m = Envelope.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidRecordException("malformed envelope: " + e.getMessage());
    }
    PubKey key;
    try {
      key = Keys.unmarshalPublicKey(m.getPublicKey().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("envelope public key: " + e.getMessage());
    }
    byte[] type = m.getPayloadType().toByteArray();
    if (!Arrays.equals(type, expectedType)) throw new InvalidRecordException("envelope payload type is not the one expected");
    byte[] payload = m.getPayload().toByteArray();
    byte[] sig = m.getSignature().toByteArray();
    if (!key.verify(signedBytes(domain, type, payload), sig)) throw new InvalidRecordException("envelope signature does not verify");
    return new SignedEnvelope(key, type, payload, sig);
  }

  /** The wire encoding. */
  public byte[] encode() {
    return Envelope.newBuilder()
        .setPublicKey(ByteString.copyFrom(publicKey.marshal()))
        .setPayloadType(ByteString.copyFrom(payloadType))
        .setPayload(ByteString.copyFrom(payload))
        .setSignature(ByteString.copyFrom(signature))
        .build()
        .toByteArray();
  }

  @Override public byte[] payloadType() {
    return payloadType.clone();
  }

  @Override public byte[] payload() {
    return payload.clone();
  }

  @Override public byte[] signature() {
    return signature.clone();
  }

  static byte[] signedBytes(String domain, byte[] type, byte[] payload) {
    byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(d.length + type.length + payload.length + 12);
    for (byte[] part : new byte[][] {d, type, payload}) {
      Varint.write(part.length, out);
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Override public boolean equals(Object o) {
    return o instanceof SignedEnvelope e && Arrays.equals(publicKey.marshal(), e.publicKey.marshal())
        && Arrays.equals(payloadType, e.payloadType) && Arrays.equals(payload, e.payload) && Arrays.equals(signature, e.signature);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(payload) * 31 + Arrays.hashCode(signature);
  }

  @Override public String toString() {
    return "SignedEnvelope[" + publicKey.type() + ", " + payload.length + " bytes]";
  }
}
