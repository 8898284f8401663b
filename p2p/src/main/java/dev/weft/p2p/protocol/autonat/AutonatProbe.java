package dev.weft.p2p.protocol.autonat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.PeerStore;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.v1.V1Message;
import dev.weft.p2p.protocol.autonat.v2.V2Result;
import dev.weft.p2p.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Asks several AutoNAT servers about our addresses and keeps the verdicts in a
 * {@link Reachability} (confined to the scheduler). A server that speaks v2 is asked once per
 * address (v2 dials exactly one address per request); a v1-only server (js-libp2p) once for all.
 * Requests to one server go one after another (servers serve one request per peer at a time),
 * different servers in parallel.
 */
public final class AutonatProbe {
  /** One server's answer, for reports ("reachable according to A, B, C"). */
  public record Answer(PeerId server, String version, Multiaddr address, String outcome) {}

  private final AutonatClient client;
  private final Reachability reachability;
  private final Scheduler scheduler;
  private final PeerStore peerStore;
  private final List<Answer> answers = new CopyOnWriteArrayList<>();

  public AutonatProbe(AutonatClient client, Reachability reachability, Scheduler scheduler, PeerStore peerStore) {
    this.client = client;
    this.reachability = reachability;
    this.scheduler = scheduler;
    this.peerStore = peerStore;
  }

  /** Tests {@code addrs} with each of {@code servers}; completes with every address's status. */
  public CompletableFuture<List<Reachability.AddressStatus>> probe(List<PeerId> servers, List<Multiaddr> addrs) {
    if (addrs.isEmpty()) return statuses();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (PeerId s : servers) {
      boolean v2 = peerStore.protocols(s).contains(AutonatProtocol.V2_DIAL_REQUEST) || !peerStore.protocols(s).contains(AutonatProtocol.V1_ID);
      all.add(v2 ? askV2InTurn(s, addrs, 0) : askV1(s, addrs));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenCompose(v -> statuses());
  }

  private CompletableFuture<Void> askV2InTurn(PeerId server, List<Multiaddr> addrs, int i) {
    if (i >= addrs.size()) return CompletableFuture.completedFuture(null);
    Multiaddr a = addrs.get(i);
    return client.checkV2(server, List.of(a)).thenCompose(r -> onScheduler(() -> {
      switch (r) {
        case V2Result.Reachable ok -> reachability.record(ok.address(), server, true, scheduler.nowMillis());
        case V2Result.Unreachable no -> reachability.record(no.address(), server, false, scheduler.nowMillis());
        case V2Result.Inconclusive x -> { }
      }
      answers.add(new Answer(server, "v2", a, describe(r)));
      return null;
    })).thenCompose(v -> askV2InTurn(server, addrs, i + 1));
  }

  private CompletableFuture<Void> askV1(PeerId server, List<Multiaddr> addrs) {
    return client.checkV1(server, addrs).thenCompose(r -> onScheduler(() -> {
      long now = scheduler.nowMillis();
      if (r.status() == V1Message.Status.OK && r.addr() != null) {
        Multiaddr hit = addrs.stream().filter(a -> a.equals(r.addr()) || a.toString().startsWith(r.addr().toString())).findFirst().orElse(r.addr());
        reachability.record(hit, server, true, now);
        answers.add(new Answer(server, "v1", hit, "dialled us"));
      } else if (r.status() == V1Message.Status.E_DIAL_ERROR) {
        for (Multiaddr a : addrs) reachability.record(a, server, false, now);
        answers.add(new Answer(server, "v1", null, "could not dial us"));
      } else {
        answers.add(new Answer(server, "v1", null, r.status() + (r.statusText() == null ? "" : ": " + r.statusText())));
      }
      return null;
    }));
  }

  public CompletableFuture<List<Reachability.AddressStatus>> statuses() {
    return onScheduler(() -> reachability.all(scheduler.nowMillis()));
  }

  public CompletableFuture<Reachability.Status> node() {
    return onScheduler(() -> reachability.node(scheduler.nowMillis()));
  }

  /** Every answer so far, in arrival order. */
  public List<Answer> answers() {
    return List.copyOf(answers);
  }

  private static String describe(V2Result r) {
    return switch (r) {
      case V2Result.Reachable ok -> "dialled us back";
      case V2Result.Unreachable no -> "could not connect";
      case V2Result.Inconclusive x -> "no verdict: " + x.reason();
    };
  }

  private <T> CompletableFuture<T> onScheduler(java.util.function.Supplier<T> s) {
    CompletableFuture<T> f = new CompletableFuture<>();
    scheduler.execute(() -> {
      try {
        f.complete(s.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }
}
