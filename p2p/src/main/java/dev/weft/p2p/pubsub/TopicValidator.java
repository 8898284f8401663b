package dev.weft.p2p.pubsub;

import dev.weft.p2p.api.PeerId;
import java.util.concurrent.CompletionStage;

/**
 * Application validation of messages on one topic, run after the signature was checked and before
 * the message is delivered or forwarded.
 *
 * <p>Called on the router's scheduler thread; it must not block. Heavy checks should run on their
 * own bounded pool and complete the stage from there: the router moves the result back onto its
 * thread. A stage that fails, or does not complete within the router's validation timeout, counts
 * as {@link ValidationResult#IGNORE} (our problem, not the peer's).
 */
@FunctionalInterface
public interface TopicValidator {
  CompletionStage<ValidationResult> validate(PeerId receivedFrom, PubsubMessage message);
}
