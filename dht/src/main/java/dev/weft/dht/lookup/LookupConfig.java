package dev.weft.dht.lookup;

/**
 * Parameters of one lookup.
 *
 * @param k results wanted, and the width of the termination window (kad-dht: 20)
 * @param alpha requests in flight at once, per path (we use 3 as the Kademlia paper; the
 *     spec's default of 10 trades messages for latency)
 * @param requestTimeoutMillis a request unanswered this long counts as failed
 * @param disjointPaths 1 for a plain lookup, d > 1 for S/Kademlia disjoint paths
 * @param attempts requests a peer gets before a timeout counts as failure (2: one lost request
 *     or reply on a flaky path does not hide the closest peer; a refused request is never retried)
 */
public record LookupConfig(int k, int alpha, long requestTimeoutMillis, int disjointPaths, int attempts) {
  public static final int DEFAULT_K = 20;
  public static final int DEFAULT_ALPHA = 3;
  public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_ATTEMPTS = 2;

  public LookupConfig(int k, int alpha, long requestTimeoutMillis, int disjointPaths) {
    this(k, alpha, requestTimeoutMillis, disjointPaths, DEFAULT_ATTEMPTS);
  }

  public LookupConfig {
    if (k <= 0 || alpha <= 0 || requestTimeoutMillis <= 0 || disjointPaths <= 0 || attempts <= 0) {
      throw new IllegalArgumentException("lookup parameters must be positive: " + k + "," + alpha + "," + requestTimeoutMillis + "," + disjointPaths);
    }
  }

  public static LookupConfig defaults() {
    return new LookupConfig(DEFAULT_K, DEFAULT_ALPHA, DEFAULT_REQUEST_TIMEOUT_MILLIS, 1);
  }

  public LookupConfig withDisjointPaths(int d) {
    return new LookupConfig(k, alpha, requestTimeoutMillis, d, attempts);
  }

  public LookupConfig withRequestTimeout(long millis) {
    return new LookupConfig(k, alpha, millis, disjointPaths, attempts);
  }
}
