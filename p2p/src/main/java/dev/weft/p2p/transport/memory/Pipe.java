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
  /** Messages in flight, in send order: each timer delivers the head, so order holds even on a real clock. */
  private final ArrayDeque<Runnable> inFlight = new ArrayDeque<>();
  private long lastArrival;
  private long busyUntil;

  Pipe(Scheduler scheduler, Random random, LinkConfig link) {
    this.scheduler = scheduler;
    this.random = random;
    this.link = link;
  }

  /** Runs {@code delivery} on the scheduler when a message of {@code bytes} would arrive. */
  void send(int bytes, Runnable delivery) {
    long now = scheduler.nowMillis();
    long sent = now;
    if (link.bytesPerSecond() > 0) {
      long start = Math.max(now, busyUntil);
      long serialisation = (bytes * 1000L) / link.bytesPerSecond();
      busyUntil = start + serialisation;
      sent = busyUntil;
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
    scheduler.schedule(arrival - now, () -> inFlight.poll().run());
  }

  LinkConfig link() {
    return link;
  }
}
