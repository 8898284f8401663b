package dev.weft.p2p.protocol.identify;

/** Identify's protocol ids and limits (specs/libp2p/identify/README.md). */
public final class IdentifyProtocol {
  public static final String ID = "/ipfs/id/1.0.0";
  public static final String PUSH_ID = "/ipfs/id/push/1.0.0";
  /** What we advertise as protocolVersion (the libp2p family, as go and js do). */
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
  public static final String AGENT_VERSION = "weft/0.1.0";
  /** Largest identify message we read or write (js reads at most 8 KiB; ours are far smaller). */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;
  /** A peer advertising more addresses is truncated to these (the rest are not stored). */
  public static final int MAX_LISTEN_ADDRS = 64;
  public static final int MAX_PROTOCOLS = 256;
  /** Protocol ids longer than this are dropped (multistream caps protocol lines near 1 KiB). */
  public static final int MAX_PROTOCOL_ID_CHARS = 1024;
  /** The whole identify exchange must complete within this. */
  public static final long TIMEOUT_MILLIS = 10_000;
  /** Protocol changes within this window are pushed once. */
  public static final long PUSH_DEBOUNCE_MILLIS = 100;

  private IdentifyProtocol() {}
}
