package dev.weft.p2p.protocol.autonat.v2;

import dev.weft.p2p.multiformats.Multiaddr;

/** What one AutoNAT v2 request told us. */
public sealed interface V2Result {
  /** The server dialled {@code address} and delivered our nonce there. */
  record Reachable(Multiaddr address) implements V2Result {}

  /** The server tried {@code address} and could not connect. */
  record Unreachable(Multiaddr address) implements V2Result {}

  /** Nothing learnt: refused, rejected, unverified claim, failure, timeout (the reason says which). */
  record Inconclusive(String reason) implements V2Result {}
}
