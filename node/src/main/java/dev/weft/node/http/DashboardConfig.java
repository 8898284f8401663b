package dev.weft.node.http;

/**
 * Where the dashboard listens. Loopback by default: the page shows peers' addresses and the
 * node's state, which a volunteer should not publish to the internet by accident; binding
 * another address is an explicit choice.
 *
 * @param host address to bind (an IP literal or {@code localhost})
 * @param port TCP port, 0 for any free one
 * @param pollMillis how often the page refreshes its data
 */
public record DashboardConfig(String host, int port, int pollMillis) {
  public static final int DEFAULT_PORT = 7777;

  public DashboardConfig {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("dashboard host must not be empty");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("dashboard port must be in 0..65535, not " + port);
    if (pollMillis < 100 || pollMillis > 60_000) throw new IllegalArgumentException("dashboard poll interval must be in 100..60000 ms");
  }

  public static DashboardConfig defaults() {
    return new DashboardConfig("127.0.0.1", DEFAULT_PORT, 1000);
  }

  /** {@code HOST:PORT}, {@code :PORT} or {@code PORT}. */
  public static DashboardConfig parse(String text) {
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    String host = colon > 0 ? t.substring(0, colon) : "127.0.0.1";
    String port = colon >= 0 ? t.substring(colon + 1) : t;
    try {
      return new DashboardConfig(host.replace("[", "").replace("]", ""), Integer.parseInt(port), 1000);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("dashboard address '" + text + "' is not HOST:PORT");
    }
  }
}
