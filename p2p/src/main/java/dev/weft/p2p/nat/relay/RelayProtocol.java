package dev.weft.p2p.nat.relay;

/** Circuit relay v2 protocol ids (circuit-v2.md), kept exactly as upstream spells them. */
public final class RelayProtocol {
  private RelayProtocol() {}

  /** Client → relay: RESERVE and CONNECT. */
  public static final String HOP = "/libp2p/circuit/relay/0.2.0/hop";
  /** Relay → target: CONNECT from a source; the stream then carries the relayed connection. */
  public static final String STOP = "/libp2p/circuit/relay/0.2.0/stop";
}
