package dev.weft.p2p.pubsub;

/**
 * Computes a message's id (pubsub README, "Message Identification"). Every peer of a topic must
 * use the same function. Must be pure and must not throw for any message the codec produces.
 */
@FunctionalInterface
public interface MessageIdFunction {
  MessageId apply(PubsubMessage message);

  /** The default, origin-stamped id: {@code from} bytes followed by {@code seqno} bytes (as js and go). */
  MessageIdFunction FROM_AND_SEQNO = m -> {
    byte[] from = m.from() == null ? new byte[0] : m.from();
    byte[] seq = m.seqno() == null ? new byte[0] : m.seqno();
    byte[] id = new byte[from.length + seq.length];
    System.arraycopy(from, 0, id, 0, from.length);
    System.arraycopy(seq, 0, id, from.length, seq.length);
    return MessageId.wrap(id);
  };
}
