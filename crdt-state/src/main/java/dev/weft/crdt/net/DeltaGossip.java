package dev.weft.crdt.net;

import dev.weft.crdt.delta.Verdict;
import dev.weft.crdt.replica.Replica;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.MessageIdFunction;
import dev.weft.p2p.pubsub.TopicValidator;
import dev.weft.p2p.pubsub.ValidationResult;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;

/**
 * The gossipsub side of a replica: the run's topic, content-addressed message ids, and the topic
 * validator that merges valid deltas (ACCEPT: forwarded), rejects invalid ones (REJECT: dropped,
 * never forwarded, the sender's score pays) and ignores what it cannot afford to check.
 */
public final class DeltaGossip {
  private DeltaGossip() {}

  /** The topic of a run's state deltas. */
  public static String topic(String runId) {
    return "weft/run/" + runId + "/state";
  }

  /**
   * Message id = SHA-256 of the payload: a delta relayed by anti-entropy and re-published, or
   * published by two peers, is one message (the default from+seqno id would make it two).
   */
  public static final MessageIdFunction CONTENT_ID = m -> MessageId.of(sha256(m.data() == null ? new byte[0] : m.data()));

  /** The validator for {@code replica}'s topic, within {@code budget}; call on the replica's thread. */
  public static TopicValidator validator(Replica replica, PeerBudget budget) {
    return (from, m) -> {
      if (!budget.tryTake(from)) return CompletableFuture.completedFuture(ValidationResult.IGNORE);
      if (m.data() == null) return CompletableFuture.completedFuture(ValidationResult.REJECT);
      Verdict v = replica.receive(m.data());
      return CompletableFuture.completedFuture(v.toGossip());
    };
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
