package dev.weft.p2p.protocol.autonat;

/** Wire limits shared by the AutoNAT v1 and v2 codecs and streams. */
public final class AutonatLimits {
  private AutonatLimits() {}

  /**
   * Largest message accepted on any AutoNAT stream: a dial-data chunk is at most 4096 bytes
   * (v2 spec) plus a few bytes of framing; 32 addresses of typical size fit with room to spare.
   */
  public static final int MAX_MESSAGE_BYTES = 8192;

  /** Most addresses a request may list: more is a bad request (servers dial one, or a few, anyway). */
  public static final int MAX_ADDRS = 32;

  /** v2: the data field of one DialDataResponse may carry at most this much (spec). */
  public static final int MAX_DIAL_DATA_CHUNK = 4096;

  /** v2: what a server may ask a client to pay, bounded so a server cannot make us send without end. */
  public static final long MAX_DIAL_DATA_REQUEST = 100_000;
}
