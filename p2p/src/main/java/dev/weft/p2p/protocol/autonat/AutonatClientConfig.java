package dev.weft.p2p.protocol.autonat;

/**
 * Limits of an AutoNAT client. Validated on construction.
 *
 * @param maxDialDataBytes most dial data we send for one v2 request (the spec lets servers ask
 *     30–100 kB; 0 never pays, so addresses on another IP than the server sees stay untested)
 * @param requestTimeoutMillis one request, from opening the stream to the response
 * @param dialBackTimeoutMillis one inbound dial-back stream, from open to the nonce
 */
public record AutonatClientConfig(long maxDialDataBytes, long requestTimeoutMillis, long dialBackTimeoutMillis) {
  public static final AutonatClientConfig DEFAULT = new AutonatClientConfig(AutonatLimits.MAX_DIAL_DATA_REQUEST, 60_000, 10_000);

  public AutonatClientConfig {
    if (maxDialDataBytes < 0 || maxDialDataBytes > AutonatLimits.MAX_DIAL_DATA_REQUEST) {
      throw new IllegalArgumentException("maxDialDataBytes must be in [0, " + AutonatLimits.MAX_DIAL_DATA_REQUEST + "]: " + maxDialDataBytes);
    }
    if (requestTimeoutMillis <= 0) throw new IllegalArgumentException("requestTimeoutMillis must be positive: " + requestTimeoutMillis);
    if (dialBackTimeoutMillis <= 0) throw new IllegalArgumentException("dialBackTimeoutMillis must be positive: " + dialBackTimeoutMillis);
  }

  public AutonatClientConfig withMaxDialDataBytes(long n) {
    return new AutonatClientConfig(n, requestTimeoutMillis, dialBackTimeoutMillis);
  }
}
