package dev.weft.p2p.upgrade;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.resource.ResourceManager;
import dev.weft.p2p.time.NanoClock;
import dev.weft.p2p.transport.StreamRouter;
import java.util.List;
import java.util.function.Supplier;

/**
 * What one upgrade is about, handed to every stage.
 *
 * @param initiator whether we dialled
 * @param expectedPeer the identity the remote must prove (outbound with /p2p/), else null
 * @param remotePeer the authenticated remote: null until security has run, then set for the muxer
 * @param router where the connection's inbound streams go
 * @param localAddress our end, as the connection reports it (asked once the channel is connected)
 * @param remoteAddress their end (likewise)
 * @param handshakeMuxers muxer ids security may offer inside its handshake (empty: none inlined)
 * @param clock the muxer's clock (pings)
 * @param resources where the muxer charges bytes it buffers for handlers (per peer, per protocol,
 *     host-wide), from its first frame on; null: the muxer's own limit only
 */
public record UpgradeRequest(boolean initiator, PeerId expectedPeer, PeerId remotePeer, StreamRouter router, Supplier<Multiaddr> localAddress,
    Supplier<Multiaddr> remoteAddress, List<String> handshakeMuxers, NanoClock clock, ResourceManager resources) {
  public UpgradeRequest {
    handshakeMuxers = List.copyOf(handshakeMuxers);
  }

  /** The same request once security has authenticated {@code peer}. */
  public UpgradeRequest secured(PeerId peer) {
    return new UpgradeRequest(initiator, expectedPeer, peer, router, localAddress, remoteAddress, handshakeMuxers, clock, resources);
  }
}
