package dev.weft.p2p.time;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * A {@link Scheduler} on virtual time for deterministic simulations of many nodes in one thread.
 *
 * <p>Time advances only when {@link #runUntil} or {@link #runFor} pops the next task. Tasks due
 * at the same instant run in the order they were scheduled, so a run is a pure function of the
 * seed and the code: a failing simulation reproduces from the seed it prints. The seeded
 * {@link #random()} is the only randomness simulated code should use.
 *
 * <p>Not thread-safe: everything runs on the thread that calls {@code run*}.
 */
public final class SimScheduler implements Scheduler {
  private record Task(long due, long seq, Runnable body, boolean[] cancelled) implements Comparable<Task> {
    @Override public int compareTo(Task o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final Random random;
  private final long seed;
  private long now;
  private long seq;
  private long executed;

  public SimScheduler(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  public long seed() {
    return seed;
  }

  /** The simulation's only source of randomness; seeded, so runs repeat exactly. */
  @Override public Random random() {
    return random;
  }

  @Override public long nowMillis() {
    return now;
  }

  /** Time advances only in {@link #runUntil} and friends, on the caller's thread. */
  @Override public boolean drivenByCaller() {
    return true;
  }

  @Override public void execute(Runnable task) {
    schedule(0, task);
  }

  @Override public Cancellable schedule(long delayMillis, Runnable task) {
    boolean[] cancelled = new boolean[1];
    queue.add(new Task(now + Math.max(0, delayMillis), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Runs every task due up to and including {@code deadline}, then sets the time to it. */
  public void runUntil(long deadline) {
    while (!queue.isEmpty() && queue.peek().due <= deadline) {
      Task t = queue.poll();
      if (t.cancelled[0]) continue;
      now = t.due;
      executed++;
      t.body.run();
    }
    now = Math.max(now, deadline);
  }

  /** Runs for {@code millis} of virtual time. */
  public void runFor(long millis) {
    runUntil(now + millis);
  }

  /** Runs until no task is left or {@code maxTasks} have run; returns whether the queue drained. */
  public boolean runUntilIdle(long maxTasks) {
    long limit = executed + maxTasks;
    while (!queue.isEmpty() && executed < limit) {
      Task t = queue.poll();
      if (t.cancelled[0]) continue;
      now = t.due;
      executed++;
      t.body.run();
    }
    return queue.isEmpty();
  }

  /** Tasks run so far: a cheap measure of simulation work. */
  public long executedTasks() {
    return executed;
  }

  public int pendingTasks() {
    return queue.size();
  }
}
