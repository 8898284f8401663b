package dev.weft.p2p.protocol.ping;

/** Ping's protocol id and limits (specs/libp2p/ping/ping.md). */
public final class PingProtocol {
  public static final String ID = "/ipfs/ping/1.0.0";
  /** Every ping carries this many random bytes, echoed back. */
  public static final int PAYLOAD_BYTES = 32;
  /** One ping must be answered within this. */
  public static final long TIMEOUT_MILLIS = 10_000;
  /** An inbound ping stream with no ping for this long is reset. */
  public static final long INBOUND_IDLE_MILLIS = 60_000;
  /** The spec asks listeners to accept at most two ping streams per peer. */
  public static final int MAX_INBOUND_STREAMS_PER_PEER = 2;
  /** Echo bytes not yet taken by the transport; more means the peer stopped reading: reset. */
  public static final int MAX_UNSENT_ECHO_BYTES = 64 * PAYLOAD_BYTES;
  /** Pings asked of one {@code ping} call at most. */
  public static final int MAX_COUNT = 10_000;

  private PingProtocol() {}
}
