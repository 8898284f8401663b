package dev.weft.p2p.nat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.AutonatProbe;
import dev.weft.p2p.protocol.autonat.Reachability;
import java.util.List;

/**
 * What one {@link NatCheck} measured, for `weft doctor` and logs.
 *
 * @param listen our listen addresses, 0.0.0.0/:: expanded
 * @param peers every peer we tried, whether we reached it and which AutoNAT it speaks
 * @param observed what the reached peers say they see us as
 * @param tested the addresses we asked them to dial back
 * @param addresses verdict per tested address
 * @param answers each server's answer
 * @param reachability the node's verdict
 * @param confirmations agreeing servers a verdict needed
 */
public record NatReport(
    PeerId self,
    List<Multiaddr> listen,
    List<PeerResult> peers,
    List<ObservedAddress> observed,
    List<Multiaddr> tested,
    List<Reachability.AddressStatus> addresses,
    List<AutonatProbe.Answer> answers,
    Reachability.Status reachability,
    int confirmations) {

  /** @param autonat "v2", "v1" or "none"; error is null when reached */
  public record PeerResult(Multiaddr address, PeerId peer, boolean reached, String autonat, String error) {}

  public NatReport {
    listen = List.copyOf(listen);
    peers = List.copyOf(peers);
    observed = List.copyOf(observed);
    tested = List.copyOf(tested);
    addresses = List.copyOf(addresses);
    answers = List.copyOf(answers);
  }

  public long reached() {
    return peers.stream().filter(PeerResult::reached).count();
  }

  public long autonatServers() {
    return peers.stream().filter(p -> p.reached() && !p.autonat().equals("none")).count();
  }
}
