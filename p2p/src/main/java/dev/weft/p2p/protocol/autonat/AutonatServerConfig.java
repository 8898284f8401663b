package dev.weft.p2p.protocol.autonat;

/**
 * Limits of an AutoNAT server (v1 and v2 share them). Validated on construction.
 *
 * @param perPeerRequestsPerWindow requests one peer may make per window (go-libp2p: 12 a minute)
 * @param globalRequestsPerWindow requests served per window from everyone (go-libp2p: 60)
 * @param dialDataRequestsPerWindow requests per window that make us dial an IP other than the
 *     requester's: even paid for, each one is a connection to a third party
 * @param windowMillis the sliding window of the three limits above
 * @param maxConcurrentDials dial-backs in flight at once; one per peer at most
 * @param dialDataBytes what we ask a client to send before we dial an IP other than its observed
 *     one (v2 spec: 30 kB to 100 kB, against ~10 kB of a handshake)
 * @param protectAgainstAmplification on by default: v2 asks for dial data before dialling another
 *     IP, v1 never dials another IP. Off only to show in tests what it prevents.
 * @param allowPrivateAddresses dial private and loopback addresses too (tests, LANs); the spec
 *     says servers SHOULD NOT
 * @param dialTimeoutMillis one dial-back, connection and nonce included
 * @param exchangeTimeoutMillis one request stream from open to response, dial data included
 */
public record AutonatServerConfig(
    int perPeerRequestsPerWindow,
    int globalRequestsPerWindow,
    int dialDataRequestsPerWindow,
    long windowMillis,
    int maxConcurrentDials,
    long dialDataBytes,
    boolean protectAgainstAmplification,
    boolean allowPrivateAddresses,
    long dialTimeoutMillis,
    long exchangeTimeoutMillis) {

  public static final AutonatServerConfig DEFAULT =
      new AutonatServerConfig(12, 60, 12, 60_000, 8, 30_000, true, false, 15_000, 60_000);

  public AutonatServerConfig {
    positive("perPeerRequestsPerWindow", perPeerRequestsPerWindow);
    positive("globalRequestsPerWindow", globalRequestsPerWindow);
    positive("dialDataRequestsPerWindow", dialDataRequestsPerWindow);
    positive("windowMillis", windowMillis);
    positive("maxConcurrentDials", maxConcurrentDials);
    positive("dialTimeoutMillis", dialTimeoutMillis);
    positive("exchangeTimeoutMillis", exchangeTimeoutMillis);
    if (dialDataBytes < 1 || dialDataBytes > AutonatLimits.MAX_DIAL_DATA_REQUEST) {
      throw new IllegalArgumentException("dialDataBytes must be in [1, " + AutonatLimits.MAX_DIAL_DATA_REQUEST + "]: " + dialDataBytes);
    }
  }

  public AutonatServerConfig withAllowPrivateAddresses(boolean allow) {
    return new AutonatServerConfig(perPeerRequestsPerWindow, globalRequestsPerWindow, dialDataRequestsPerWindow, windowMillis,
        maxConcurrentDials, dialDataBytes, protectAgainstAmplification, allow, dialTimeoutMillis, exchangeTimeoutMillis);
  }

  public AutonatServerConfig withProtectAgainstAmplification(boolean on) {
    return new AutonatServerConfig(perPeerRequestsPerWindow, globalRequestsPerWindow, dialDataRequestsPerWindow, windowMillis,
        maxConcurrentDials, dialDataBytes, on, allowPrivateAddresses, dialTimeoutMillis, exchangeTimeoutMillis);
  }

  public AutonatServerConfig withRates(int perPeer, int global, int dialData) {
    return new AutonatServerConfig(perPeer, global, dialData, windowMillis, maxConcurrentDials, dialDataBytes,
        protectAgainstAmplification, allowPrivateAddresses, dialTimeoutMillis, exchangeTimeoutMillis);
  }

  private static void positive(String name, long v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be positive: " + v);
  }
}
