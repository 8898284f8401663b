package dev.weft.p2p.protocol.autonat;

/** AutoNAT protocol ids, kept exactly as upstream (specs/libp2p/autonat). */
public final class AutonatProtocol {
  private AutonatProtocol() {}

  /** v1: one Dial, one DialResponse; what js-libp2p 2.x speaks. */
  public static final String V1_ID = "/libp2p/autonat/1.0.0";
  /** v2: the client's request stream. */
  public static final String V2_DIAL_REQUEST = "/libp2p/autonat/2/dial-request";
  /** v2: the server's stream on the dial-back connection, carrying the nonce. */
  public static final String V2_DIAL_BACK = "/libp2p/autonat/2/dial-back";

  /** v1: addresses a server dials for one request at most (all on the requester's IP). */
  public static final int V1_MAX_DIALS = 4;
}
