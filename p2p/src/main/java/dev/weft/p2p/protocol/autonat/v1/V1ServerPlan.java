package dev.weft.p2p.protocol.autonat.v1;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.protocol.autonat.AutonatProtocol;
import dev.weft.p2p.protocol.autonat.DialPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What an AutoNAT v1 server does with one Dial (autonat-v1.md, "Security Considerations"): refuse
 * requests over relayed connections and requests naming another peer, and dial only addresses on
 * the requester's observed IP (RFC 3489 12.1.1), at most {@link AutonatProtocol#V1_MAX_DIALS}.
 * A pure function.
 */
public final class V1ServerPlan {
  private V1ServerPlan() {}

  /** Either a response to send at once, or the addresses to dial in turn. */
  public sealed interface Plan {
    record Respond(V1Message.DialResponse response) implements Plan {}

    record DialInTurn(List<Multiaddr> addresses) implements Plan {
      public DialInTurn {
        addresses = List.copyOf(addresses);
      }
    }
  }

  /**
   * @param observed the remote address of the requester's connection
   * @param onlyObservedIp the amplification rule; false only in tests that show what it prevents
   */
  public static Plan plan(V1Message.Dial dial, PeerId requester, Multiaddr observed, DialPolicy policy, boolean onlyObservedIp) {
    if (observed == null || observed.has(Protocol.P2P_CIRCUIT)) {
      return refuse(V1Message.Status.E_DIAL_REFUSED, "no dial-backs for requests over relayed connections");
    }
    if (!Arrays.equals(dial.peerId(), requester.bytes())) return refuse(V1Message.Status.E_BAD_REQUEST, "peer id is not the requester's");
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : dial.addrs()) {
      Optional<Multiaddr> d = policy.dialable(a);
      if (d.isEmpty() || out.contains(d.get())) continue;
      if (onlyObservedIp && !DialPolicy.sameIp(d.get(), observed)) continue;
      out.add(d.get());
      if (out.size() == AutonatProtocol.V1_MAX_DIALS) break;
    }
    if (out.isEmpty()) return refuse(V1Message.Status.E_DIAL_REFUSED, "no dialable address on the observed IP");
    return new Plan.DialInTurn(out);
  }

  private static Plan refuse(V1Message.Status status, String text) {
    return new Plan.Respond(new V1Message.DialResponse(status, text, null));
  }
}
