package dev.weft.p2p.pubsub;

import java.util.Arrays;
import java.util.Objects;

/**
 * One pubsub {@code Message} as it travels (pubsub README, "The Message"). Absent optional fields
 * are {@code null}; arrays are never modified once a message is built (the codec and the router
 * hand the same instance to every consumer), so callers must not modify what the accessors return.
 *
 * @param from author's peer id bytes (not the forwarder), or null
 * @param data payload, or null
 * @param seqno sequence number bytes (8 bytes big-endian when we publish), or null
 * @param topic topic id, never null
 * @param signature Ed25519 (or other key type) signature over {@link #signedPayload}, or null
 * @param key the author's marshalled public key when it is not inlined in {@code from}, or null
 */
public record PubsubMessage(byte[] from, byte[] data, byte[] seqno, String topic, byte[] signature, byte[] key) {
  /** Prefix of the bytes that are signed (pubsub README, "Message Signing"). */
  public static final String SIGNING_PREFIX = "libp2p-pubsub:";

  public PubsubMessage {
    Objects.requireNonNull(topic, "topic");
  }

  /** Payload length (0 when absent). */
  public int dataLength() {
    return data == null ? 0 : data.length;
  }

  /** A copy without signature, for computing or checking it. */
  public PubsubMessage withoutSignature() {
    return new PubsubMessage(from, data, seqno, topic, null, key);
  }

  public PubsubMessage withSignature(byte[] sig) {
    return new PubsubMessage(from, data, seqno, topic, sig, key);
  }

  /** Encoded size estimate of this message inside an RPC, for batching (exact for our encoder). */
  public int encodedSize() {
    return RpcCodec.messageSize(this);
  }

  @Override public boolean equals(Object o) {
    return o instanceof PubsubMessage m
        && Arrays.equals(from, m.from) && Arrays.equals(data, m.data) && Arrays.equals(seqno, m.seqno)
        && topic.equals(m.topic) && Arrays.equals(signature, m.signature) && Arrays.equals(key, m.key);
  }

  @Override public int hashCode() {
    int h = topic.hashCode();
    h = 31 * h + Arrays.hashCode(from);
    h = 31 * h + Arrays.hashCode(seqno);
    return 31 * h + Arrays.hashCode(data);
  }

  @Override public String toString() {
    return "PubsubMessage[topic=" + topic + ", data=" + dataLength() + "B, seqno="
        + (seqno == null ? "-" : java.util.HexFormat.of().formatHex(seqno)) + "]";
  }
}
