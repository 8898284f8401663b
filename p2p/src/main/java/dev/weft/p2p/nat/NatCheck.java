package dev.weft.p2p.nat;

import dev.weft.p2p.addr.InterfaceAddresses;
import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.protocol.autonat.AutonatClient;
import dev.weft.p2p.protocol.autonat.AutonatProbe;
import dev.weft.p2p.protocol.autonat.AutonatProtocol;
import dev.weft.p2p.protocol.autonat.Reachability;
import dev.weft.p2p.protocol.autonat.ReachabilityConfig;
import dev.weft.p2p.protocol.identify.IdentifyInfo;
import dev.weft.p2p.protocol.identify.IdentifyService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One NAT check, as `weft doctor` runs it: connect to the given peers, learn from identify what
 * they see us as, derive addresses worth testing (each observed IP with each listen port, and
 * our listen addresses), have the peers dial them back with AutoNAT, and summarise in a
 * {@link NatReport}. Blocking (call it from a CLI or virtual thread, never an event loop).
 *
 * <p>Unlike the node's own pipeline, unconfirmed observations are tested too: a check runs with a
 * handful of peers, and a dial-back proves an address whoever suggested it.
 */
public final class NatCheck {
  /**
   * @param confirmations agreeing servers a verdict needs
   * @param timeoutMillis for each step (dial + identify, then the whole probe)
   * @param includePrivate test private and loopback listen addresses too (LAN tests)
   * @param alsoTest addresses the volunteer asks about (a forwarded port): always tested, first
   */
  public record Options(List<Multiaddr> peers, int confirmations, long timeoutMillis, boolean includePrivate, List<Multiaddr> alsoTest) {
    public Options {
      peers = List.copyOf(peers);
      alsoTest = List.copyOf(alsoTest);
      if (confirmations < 1) throw new IllegalArgumentException("confirmations must be >= 1: " + confirmations);
      if (timeoutMillis <= 0) throw new IllegalArgumentException("timeoutMillis must be positive: " + timeoutMillis);
    }
  }

  private NatCheck() {}

  public static NatReport run(BasicHost host, IdentifyService identify, AutonatClient client, ObservedAddressCollector collector,
      Options o) throws InterruptedException {
    List<NatReport.PeerResult> peers = new ArrayList<>();
    List<PeerId> servers = new ArrayList<>();
    for (Multiaddr a : o.peers()) {
      PeerId expected = a.peerId().orElse(null);
      try {
        Connection c = host.dial(a).get(o.timeoutMillis(), TimeUnit.MILLISECONDS);
        IdentifyInfo info = identify.identify(c).get(o.timeoutMillis(), TimeUnit.MILLISECONDS);
        String v = info.protocols().contains(AutonatProtocol.V2_DIAL_REQUEST) ? "v2" : info.protocols().contains(AutonatProtocol.V1_ID) ? "v1" : "none";
        peers.add(new NatReport.PeerResult(a, c.remotePeer(), true, v, null));
        if (!v.equals("none")) servers.add(c.remotePeer());
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        peers.add(new NatReport.PeerResult(a, expected, false, "none", cause instanceof TimeoutException ? "timed out" : String.valueOf(cause.getMessage())));
      }
    }
    List<Multiaddr> listen = InterfaceAddresses.system().expand(host.listenAddresses());
    List<ObservedAddress> observed = get(collector.addresses(), o.timeoutMillis());
    Set<Multiaddr> toTest = new LinkedHashSet<>();
    for (Multiaddr a : o.alsoTest()) toTest.add(a.withoutPeerId());
    toTest.addAll(candidates(observed, listen, o.includePrivate()));
    List<Multiaddr> tested = List.copyOf(toTest);
    Reachability reach = new Reachability(new ReachabilityConfig(o.confirmations(), 60 * 60_000L, 64, Math.max(8, o.confirmations())));
    AutonatProbe probe = new AutonatProbe(client, reach, host.scheduler(), host.peerStore());
    List<Reachability.AddressStatus> statuses = List.of();
    if (!servers.isEmpty() && !tested.isEmpty()) {
      try {
        statuses = probe.probe(servers, tested).get(o.timeoutMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        statuses = get(probe.statuses(), o.timeoutMillis()); // what answered in time
      } catch (ExecutionException e) {
        throw new IllegalStateException("AutoNAT probe failed: " + e.getCause(), e.getCause());
      }
    }
    Reachability.Status node = get(probe.node(), o.timeoutMillis());
    return new NatReport(host.peerId(), listen, peers, observed, tested, statuses, probe.answers(), node, o.confirmations());
  }

  /** Observed IPs with our listen ports, observed addresses of listen ports, and our own listen addresses. */
  static List<Multiaddr> candidates(List<ObservedAddress> observed, List<Multiaddr> listen, boolean includePrivate) {
    Set<Multiaddr> out = new LinkedHashSet<>();
    List<Multiaddr> thinListen = new ArrayList<>();
    for (Multiaddr l : listen) ObservedAddressBook.thinWaist(l).ifPresent(thinListen::add);
    for (ObservedAddress o : observed) {
      Multiaddr.Component ip = o.address().components().get(0);
      for (Multiaddr l : thinListen) {
        if (l.components().get(0).protocol() != ip.protocol()) continue;
        int port = ObservedAddressBook.port(l);
        if (o.localPorts().contains(port)) out.add(o.address());
        out.add(Multiaddr.of(List.of(ip)).encapsulate("/tcp/" + port));
      }
    }
    for (Multiaddr l : thinListen) out.add(l);
    List<Multiaddr> result = new ArrayList<>();
    for (Multiaddr a : out) {
      if (a.isUnspecified()) continue;
      if (!includePrivate && (a.isPrivate() || a.isLoopback())) continue;
      if (a.valueOf(Protocol.TCP).orElse("0").equals("0")) continue;
      result.add(a);
    }
    return result;
  }

  private static <T> T get(java.util.concurrent.CompletableFuture<T> f, long timeoutMillis) throws InterruptedException {
    try {
      return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("NAT check step failed: " + e, e);
    }
  }
}
