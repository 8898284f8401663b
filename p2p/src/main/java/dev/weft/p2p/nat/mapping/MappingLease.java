package dev.weft.p2p.nat.mapping;

/**
 * When to renew a port mapping and when to give up, as a pure state machine (RFC 6886 3.3:
 * renew at half the lifetime; the gateway may grant less than asked). Told what the gateway
 * answered, asked what to do next.
 *
 * <pre>
 *   REQUESTED --granted(lifetime)--> ACTIVE (renew at t + lifetime/2)
 *   ACTIVE --renewal due--> REQUESTED
 *   REQUESTED --failed--> retry after backoff (doubling, capped); past the lease's end: LOST
 * </pre>
 */
public final class MappingLease {
  public enum State { REQUESTED, ACTIVE, LOST }

  private static final long MIN_RETRY_MILLIS = 1_000;
  private static final long MAX_RETRY_MILLIS = 60_000;

  private State state = State.REQUESTED;
  private long renewAtMillis;
  private long expiresAtMillis = Long.MIN_VALUE;
  private long retryMillis = MIN_RETRY_MILLIS;
  private int externalPort;

  public State state() {
    return state;
  }

  public int externalPort() {
    return externalPort;
  }

  /** The gateway mapped us to {@code externalPort} for {@code lifetimeSeconds}. */
  public void granted(int externalPort, long lifetimeSeconds, long nowMillis) {
    this.externalPort = externalPort;
    state = State.ACTIVE;
    expiresAtMillis = nowMillis + lifetimeSeconds * 1000;
    renewAtMillis = nowMillis + lifetimeSeconds * 500;
    retryMillis = MIN_RETRY_MILLIS;
  }

  /** A request or renewal failed (no answer, refused): retry with backoff; past the lease's end it is LOST. */
  public void failed(long nowMillis) {
    renewAtMillis = nowMillis + retryMillis;
    retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
    if (expiresAtMillis != Long.MIN_VALUE && nowMillis >= expiresAtMillis) state = State.LOST;
  }

  /** Whether a (re)request is due at {@code nowMillis}. */
  public boolean due(long nowMillis) {
    return nowMillis >= renewAtMillis;
  }

  public long nextActionMillis() {
    return renewAtMillis;
  }

  /** Whether the mapping is in force at {@code nowMillis} (advertise it only then, once AutoNAT confirmed it). */
  public boolean valid(long nowMillis) {
    return state == State.ACTIVE && nowMillis < expiresAtMillis;
  }
}
