package dev.weft.p2p.protocol.perf;

/**
 * Perf's protocol id and limits (specs/libp2p/perf/perf.md). Perf lets a client make the server
 * send arbitrary amounts of data, so it is off unless a host installs it.
 */
public final class PerfProtocol {
  public static final String ID = "/perf/1.0.0";
  /** The request header: how many bytes the server sends back, as a big-endian uint64. */
  public static final int HEADER_BYTES = 8;
  /** Largest download a server agrees to send (the spec allows up to 2^64-1; we refuse more). */
  public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 64L << 30;
  /** A perf stream with no progress (no byte received or accepted for sending) for this long is reset. */
  public static final long IDLE_TIMEOUT_MILLIS = 30_000;

  private PerfProtocol() {}
}
