package dev.weft.p2p.transport.memory;

import dev.weft.p2p.time.Scheduler;
import java.util.ArrayDeque;
import java.util.Random;

/**
 * One direction of a simulated connection: delivers messages in order after the link's latency,
 * loss-induced retransmission delay and serialisation time. Confined to the network's scheduler.
 */
final class Pipe {
  /** Bytes charged for a control message (open, ack, fin, reset) when bandwidth is limited. */
  static final int CONTROL_MESSAGE_BYTES = 12;

  private final Scheduler scheduler;
  private final Random random;
  private final LinkConfig link;
  private final java.util.function.BooleanSupplier receiverStalled;
  /** Arrived while the receiver was stalled; delivered in order by {@link #release()}. */
  private final ArrayDeque<Runnable> held = new ArrayDeque<>();
  /** Messages in flight, in send order: each timer delivers the head, so order holds even on a real clock. */
  private final ArrayDeque<Runnable> inFlight = new ArrayDeque<>();
  private long lastArrival;
  private long busyUntilNanos;

  Pipe(Scheduler scheduler, Random random, LinkConfig link, java.util.function.BooleanSupplier receiverStalled) {
    this.scheduler = scheduler;
    this.random = random;
    this.link = link;
    this.receiverStalled = receiverStalled;
  }

  /** Delivers what was held while the receiver was stalled. */
  void release() {
    while (!held.isEmpty() && !receiverStalled.getAsBoolean()) held.poll().run();
  }

  /** Runs {@code delivery} on the scheduler when a message of {@code bytes} would arrive. */
  void send(int bytes, Runnable delivery) {
    long now = scheduler.nowMillis();
    long sent = now;
    if (link.bytesPerSecond() > 0) {
      // Nanosecond bookkeeping so that many small messages add up to the right serialisation time.
      long startNanos = Math.max(now * 1_000_000L, busyUntilNanos);
      busyUntilNanos = startNanos + (long) (bytes * 1e9 / link.bytesPerSecond());
      sent = (busyUntilNanos + 999_999) / 1_000_000;
    }
    long delay = link.latencyMillis();
    if (link.jitterMillis() > 0) delay += (long) (random.nextDouble() * (link.jitterMillis() + 1));
    if (link.lossRate() > 0) {
      for (int i = 0; i < LinkConfig.MAX_RETRANSMISSIONS && random.nextDouble() < link.lossRate(); i++) {
        delay += link.retransmitMillis();
      }
    }
    long arrival = Math.max(lastArrival, sent + delay);
    lastArrival = arrival;
    inFlight.add(delivery);
    scheduler.schedule(arrival - now, () -> {
      Runnable next = inFlight.poll();
      if (receiverStalled.getAsBoolean() || !held.isEmpty()) {
        held.add(next);
        release();
      } else {
        next.run();
      }
    });
  }

  LinkConfig link() {
    return link;
  }
}
