package dev.weft.dht;

import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.lookup.ClosestPeersLookup;
import dev.weft.dht.lookup.DisjointLookup;
import dev.weft.dht.lookup.Lookup;
import dev.weft.dht.lookup.LookupAction;
import dev.weft.dht.lookup.LookupConfig;
import dev.weft.dht.routing.RoutingTable;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs lookups and one-shot requests for every operation: feeds a {@link Lookup} state machine
 * (sends what it asks for, tells it what came back, wakes it at its deadlines), applies the
 * node's request timeout, and reports each peer's behaviour to the {@link TableUpkeep}. What a
 * reply means is the operation's business: it answers with a {@link Verdict}.
 *
 * <p>Not thread-safe: everything runs on the node's scheduler.
 */
final class QueryDriver {
  /** What an operation makes of one reply. */
  enum Verdict {
    /** Use its closer peers and go on. */
    CONTINUE,
    /** Use it, and the operation has what it wanted: stop the lookup. */
    STOP,
    /** The reply was wrong (invalid record, wrong key): penalise, ignore its peers. */
    MISBEHAVED
  }

  /** An operation's view of the replies to its lookup. */
  @FunctionalInterface
  interface ReplySink {
    Verdict onReply(PeerInfo peer, DhtMessage reply);

    ReplySink IGNORE = (p, m) -> Verdict.CONTINUE;
  }

  private final PeerInfo self;
  private final DhtConfig config;
  private final Scheduler scheduler;
  private final KadNetwork network;
  private final RoutingTable table;
  private final PeerScores scores;
  private final TableUpkeep upkeep;
  private final BooleanSupplier closed;
  private long messagesSent;

  QueryDriver(PeerInfo self, DhtConfig config, Scheduler scheduler, KadNetwork network, RoutingTable table, PeerScores scores, TableUpkeep upkeep,
      BooleanSupplier closed) {
    this.self = self;
    this.config = config;
    this.scheduler = scheduler;
    this.network = network;
    this.table = table;
    this.scores = scores;
    this.upkeep = upkeep;
    this.closed = closed;
  }

  long messagesSent() {
    return messagesSent;
  }

  long now() {
    return scheduler.nowMillis();
  }

  CompletableFuture<Lookup> lookup(KadKey target, DhtMessage request, LookupConfig lc, ReplySink sink, List<PeerInfo> extraSeeds) {
    return lookup(target, request, lc, sink, extraSeeds, l -> { });
  }

  /** Runs one lookup to completion; {@code created} sees the Lookup before any request goes out. */
  CompletableFuture<Lookup> lookup(KadKey target, DhtMessage request, LookupConfig lc, ReplySink sink, List<PeerInfo> extraSeeds, Consumer<Lookup> created) {
    List<PeerInfo> seeds = new ArrayList<>(table.closest(target, lc.k() * lc.disjointPaths()));
    for (PeerInfo p : extraSeeds) if (!seeds.contains(p) && !p.id().equals(self.id())) seeds.add(p);
    long started = scheduler.nowMillis();
    Lookup lookup = lc.disjointPaths() > 1
        ? new DisjointLookup(target, lc, self.id(), seeds, p -> !scores.isBanned(p, scheduler.nowMillis()))
        : new ClosestPeersLookup(target, lc, self.id(), seeds, p -> !scores.isBanned(p, scheduler.nowMillis()));
    created.accept(lookup);
    CompletableFuture<Lookup> done = new CompletableFuture<>();
    new Feeder(lookup, request, sink, done).pump();
    done.thenRun(() -> table.markRefreshed(table.bucketIndex(target), started));
    return done;
  }

  /** Feeds one lookup: sends what it asks for, tells it what came back, wakes it at deadlines. */
  private final class Feeder {
    private final Lookup lookup;
    private final DhtMessage request;
    private final ReplySink sink;
    private final CompletableFuture<Lookup> done;
    private Cancellable wake;
    private long wakeAt = Long.MAX_VALUE;
    private boolean finished;

    Feeder(Lookup lookup, DhtMessage request, ReplySink sink, CompletableFuture<Lookup> done) {
      this.lookup = lookup;
      this.request = request;
      this.sink = sink;
      this.done = done;
    }

    void pump() {
      if (finished) return;
      while (true) {
        LookupAction a = closed.getAsBoolean() ? new LookupAction.Done() : lookup.next(scheduler.nowMillis());
        switch (a) {
          case LookupAction.Query q -> call(q.peer(), request, true, result -> onResult(q.peer(), result));
          case LookupAction.Wait w -> {
            if (w.untilMillis() != wakeAt) {
              if (wake != null) wake.cancel();
              wakeAt = w.untilMillis();
              wake = scheduler.schedule(w.untilMillis() - scheduler.nowMillis(), () -> {
                wakeAt = Long.MAX_VALUE;
                pump();
              });
            }
            return;
          }
          case LookupAction.Done d -> {
            finish();
            return;
          }
        }
      }
    }

    private void finish() {
      finished = true;
      if (wake != null) wake.cancel();
      done.complete(lookup);
    }

    private void onResult(PeerInfo peer, KadNetwork.Result result) {
      if (finished) return;
      long now = scheduler.nowMillis();
      switch (result) {
        case KadNetwork.Result.Reply r -> {
          DhtMessage m = r.message();
          Verdict v = m.type() != request.type() ? Verdict.MISBEHAVED : sink.onReply(peer, m);
          if (v == Verdict.MISBEHAVED) {
            upkeep.penalise(peer.id(), PeerScores.Offence.WRONG_RESPONSE);
            lookup.onFailure(peer.id(), now);
          } else {
            upkeep.consider(peer);
            lookup.onSuccess(peer.id(), usable(m.closerPeers()), now);
            if (v == Verdict.STOP) {
              if (lookup instanceof ClosestPeersLookup c) c.finish();
              if (lookup instanceof DisjointLookup d) d.finish();
              finish();
              return;
            }
          }
        }
        case KadNetwork.Result.Malformed mal -> {
          upkeep.penalise(peer.id(), PeerScores.Offence.MALFORMED_MESSAGE);
          lookup.onFailure(peer.id(), now);
        }
        case KadNetwork.Result.Failed f -> {
          table.recordFailure(peer.id());
          lookup.onFailure(peer.id(), now);
        }
        case KadNetwork.Result.TimedOut t -> {
          table.recordFailure(peer.id());
          lookup.onTimeout(peer.id(), now);
        }
        case KadNetwork.Result.Sent s -> lookup.onFailure(peer.id(), now);
      }
      pump();
    }
  }

  private List<PeerInfo> usable(List<PeerInfo> peers) {
    long now = scheduler.nowMillis();
    List<PeerInfo> out = new ArrayList<>(peers.size());
    for (PeerInfo p : peers) if (!p.id().equals(self.id()) && !scores.isBanned(p.id(), now)) out.add(p);
    return out;
  }

  /** One request with our own timeout; {@code onResult} runs exactly once, on the scheduler. */
  void call(PeerInfo peer, DhtMessage request, boolean expectReply, Consumer<KadNetwork.Result> onResult) {
    boolean[] done = new boolean[1];
    messagesSent++;
    Cancellable timeout = scheduler.schedule(config.lookup().requestTimeoutMillis(), () -> {
      if (done[0]) return;
      done[0] = true;
      onResult.accept(new KadNetwork.Result.TimedOut());
    });
    network.request(peer, request, expectReply, r -> {
      if (done[0]) return;
      done[0] = true;
      timeout.cancel();
      onResult.accept(r);
    });
  }

  /** Sends {@code msg} to every peer; calls back with how many accepted it. */
  void fanOut(List<PeerInfo> peers, DhtMessage msg, boolean expectReply, Consumer<Integer> onDone) {
    if (peers.isEmpty()) {
      onDone.accept(0);
      return;
    }
    int[] pending = {peers.size()};
    int[] ok = {0};
    for (PeerInfo p : peers) {
      call(p, msg, expectReply, r -> {
        switch (r) {
          case KadNetwork.Result.Reply reply -> {
            if (reply.message().type() == msg.type()) ok[0]++;
          }
          case KadNetwork.Result.Sent s -> ok[0]++;
          case KadNetwork.Result.Failed f -> table.recordFailure(p.id());
          case KadNetwork.Result.TimedOut t -> table.recordFailure(p.id());
          case KadNetwork.Result.Malformed m -> upkeep.penalise(p.id(), PeerScores.Offence.MALFORMED_MESSAGE);
        }
        if (--pending[0] == 0) onDone.accept(ok[0]);
      });
    }
  }
}
