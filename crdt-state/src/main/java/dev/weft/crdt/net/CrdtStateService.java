package dev.weft.crdt.net;

import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.replica.Replica;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.sync.SyncSession;
import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.Mutation;
import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.pubsub.gossipsub.GossipsubService;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A run's replica on a host: deltas published and validated on the run's gossipsub topic, and
 * anti-entropy over {@value #PROTOCOL} with each peer on connect and with a random connected peer
 * every {@link SyncConfig#periodMillis}, compacting the delta log each period once every connected
 * replica acknowledged (by its digest) what supersedes the dropped deltas. Registered through the host's public api (a stream handler
 * and an event subscription), on the gossipsub service's serial scheduler, where the replica lives.
 *
 * <p>Bounded work per peer: one session we opened and one it opened at a time (a second inbound
 * one is reset), {@link #MAX_SESSIONS} in all, and a validation budget per peer on gossip. Only the
 * dialling side syncs on connect, so the two ends do not both start one.
 */
public final class CrdtStateService implements AutoCloseable {
  public static final String PROTOCOL = "/weft/crdt-sync/1.0.0";
  /** Concurrent sessions in all. */
  public static final int MAX_SESSIONS = 64;

  private final Host host;
  private final GossipsubService gossip;
  private final Scheduler scheduler;
  private final Replica replica;
  private final SyncConfig config;
  private final Random random;
  private final String topic;
  private final PeerBudget budget;
  /** Peers we have a session open to (outbound) and from (inbound): at most one of each per peer. */
  private final java.util.Map<PeerId, CompletableFuture<Void>> outbound = new java.util.HashMap<>();
  private final Set<PeerId> inbound = new HashSet<>();
  private Cancellable periodic;
  private AutoCloseable events;
  private long sessionsDone;
  private long bytesIn;
  private long bytesOut;

  public CrdtStateService(Host host, GossipsubService gossip, Scheduler scheduler, Replica replica, SyncConfig config, Random random) {
    this.host = host;
    this.gossip = gossip;
    this.scheduler = scheduler;
    this.replica = replica;
    this.config = config;
    this.random = random;
    this.topic = DeltaGossip.topic(replica.runId());
    this.budget = new PeerBudget(scheduler, 1000, 5000, 4096);
  }

  public CompletableFuture<Void> start() {
    host.setStreamHandler(PROTOCOL, this::onInbound);
    events = host.subscribe(e -> {
      if (e instanceof HostEvent.PeerConnected c && c.connection().isInitiator()) scheduler.execute(() -> syncWith(c.connection().remotePeer()));
      if (e instanceof HostEvent.PeerDisconnected d) {
        PeerId p = d.connection().remotePeer();
        scheduler.execute(() -> {
          // A peer gone stops holding back compaction; if it returns, cover claims and the
          // live-hash check bring it what was compacted meanwhile.
          if (host.connections(p).isEmpty()) replica.forgetReplica(p);
        });
      }
    });
    periodic = scheduler.scheduleAtFixedRate(config.periodMillis(), config.periodMillis(), this::syncRandomPeer);
    return gossip.setMessageIdFunction(topic, DeltaGossip.CONTENT_ID)
        .thenCompose(v -> gossip.setValidator(topic, DeltaGossip.validator(replica, budget)))
        .thenCompose(v -> gossip.subscribe(topic));
  }

  public Replica replica() {
    return replica;
  }

  public String topic() {
    return topic;
  }

  /** Runs {@code body} on the replica's thread. */
  public <T> CompletableFuture<T> call(Supplier<T> body) {
    return gossip.call(body);
  }

  /** Writes locally and publishes the delta. */
  public CompletableFuture<SignedDelta> write(String key, BiFunction<Crdt, Replica.WriteContext, Mutation<? extends Crdt>> op) {
    return call(() -> publish(replica.write(key, op)));
  }

  /** Publishes a delta already written on the replica (on the replica's thread). */
  public SignedDelta publish(SignedDelta d) {
    try {
      gossip.router().publish(topic, d.encoded());
    } catch (IllegalArgumentException e) {
      // No topic peers yet, or a duplicate id: anti-entropy carries it.
    }
    return d;
  }

  /**
   * Starts a session with {@code peer} now (on the replica's thread), or joins the one in flight;
   * completes when it ends (also when it could not start).
   */
  public CompletableFuture<Void> syncWith(PeerId peer) {
    CompletableFuture<Void> inFlight = outbound.get(peer);
    if (inFlight != null) return inFlight;
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (sessions() >= MAX_SESSIONS) {
      done.complete(null);
      return done;
    }
    outbound.put(peer, done);
    host.newStream(peer, List.of(PROTOCOL)).whenComplete((s, err) -> scheduler.execute(() -> {
      if (err != null) {
        outbound.remove(peer);
        done.complete(null);
        return;
      }
      attach(s, outbound.keySet(), done);
    }));
    return done;
  }

  private void syncRandomPeer() {
    replica.compact();
    List<PeerId> peers = new ArrayList<>();
    for (Connection c : host.connections()) if (!peers.contains(c.remotePeer())) peers.add(c.remotePeer());
    if (!peers.isEmpty()) syncWith(peers.get(random.nextInt(peers.size())));
  }

  private void onInbound(Stream s) {
    scheduler.execute(() -> {
      PeerId p = s.remotePeer();
      if (inbound.contains(p) || sessions() >= MAX_SESSIONS) {
        s.reset();
        return;
      }
      inbound.add(p);
      attach(s, inbound, new CompletableFuture<>());
    });
  }

  private int sessions() {
    return outbound.size() + inbound.size();
  }

  private void attach(Stream s, Set<PeerId> set, CompletableFuture<Void> done) {
    SyncSession session = new SyncSession(replica, s.remotePeer(), config);
    SyncStreamAdapter a = new SyncStreamAdapter(s, session, scheduler, config.maxFrameBytes(), config.readTimeoutMillis(), ended -> {
      set.remove(s.remotePeer());
      sessionsDone++;
      bytesIn += ended.bytesIn();
      bytesOut += ended.bytesOut();
      done.complete(null);
    });
    s.setHandler(a);
    a.start();
  }

  /** Sessions ended, and the frame bytes they read and wrote (on the replica's thread). */
  public long[] syncTotals() {
    return new long[] {sessionsDone, bytesIn, bytesOut};
  }

  @Override public void close() {
    host.removeStreamHandler(PROTOCOL);
    if (periodic != null) periodic.cancel();
    if (events != null) {
      try {
        events.close();
      } catch (Exception ignored) {
        // Nothing to release beyond the subscription.
      }
    }
  }
}
