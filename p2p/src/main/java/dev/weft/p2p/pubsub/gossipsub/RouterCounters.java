package dev.weft.p2p.pubsub.gossipsub;

/**
 * Running totals of what a router did, for tests, benchmarks and metrics. Written on the router
 * thread; reads from other threads may be slightly stale.
 */
public final class RouterCounters {
  volatile long rpcsReceived;
  volatile long malformedRpcs;
  volatile long graylistedRpcs;
  volatile long messagesReceived;
  volatile long duplicates;
  volatile long invalidSignatures;
  volatile long rejected;
  volatile long ignored;
  volatile long delivered;
  volatile long published;
  volatile long messagesSent;
  volatile long rpcsSent;
  volatile long iwantServed;
  volatile long iwantRefused;
  volatile long validationsThrottled;

  public long rpcsReceived() { return rpcsReceived; }
  public long malformedRpcs() { return malformedRpcs; }
  public long graylistedRpcs() { return graylistedRpcs; }
  public long messagesReceived() { return messagesReceived; }
  public long duplicates() { return duplicates; }
  public long invalidSignatures() { return invalidSignatures; }
  public long rejected() { return rejected; }
  public long ignored() { return ignored; }
  public long delivered() { return delivered; }
  public long published() { return published; }
  public long messagesSent() { return messagesSent; }
  public long rpcsSent() { return rpcsSent; }
  public long iwantServed() { return iwantServed; }
  public long iwantRefused() { return iwantRefused; }
  public long validationsThrottled() { return validationsThrottled; }
}
