package dev.weft.p2p.transport.memory;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.time.Scheduler;
import dev.weft.p2p.time.SimScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated network of in-memory transports: listeners by name, per-link latency / loss /
 * bandwidth, partitions. Every connection and stream callback runs on the network's one
 * {@link Scheduler}; with a {@link SimScheduler} hundreds of hosts run deterministically on virtual
 * time in one thread, and the network draws its randomness from the seeded {@link Random} it was
 * given.
 *
 * <p>Thread-safety: with a {@link SimScheduler}, call everything from the simulation thread. With
 * a real scheduler, the public methods may be called from any thread.
 */
public final class MemoryNetwork {
  private final Scheduler scheduler;
  private final Random random;
  private final AtomicLong nextName = new AtomicLong(1);
  private final AtomicLong nextConnectionId = new AtomicLong(1);
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
  private final Map<Set<PeerId>, LinkConfig> links = new ConcurrentHashMap<>();
  private final Set<Set<PeerId>> partitions = ConcurrentHashMap.newKeySet();
  private final Map<Long, MemoryConnection> connections = new ConcurrentHashMap<>();
  private final Set<PeerId> stalled = ConcurrentHashMap.newKeySet();
  private volatile LinkConfig defaultLink = LinkConfig.PERFECT;

  record Listener(String name, MemoryTransport transport, dev.weft.p2p.transport.ConnectionSink sink) {}

  /** A network on a simulation: its scheduler and its seeded random. */
  public MemoryNetwork(SimScheduler sim) {
    this(sim, sim.random());
  }

  public MemoryNetwork(Scheduler scheduler, Random random) {
    this.scheduler = scheduler;
    this.random = random;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** A transport for the host whose identity is {@code localPeer}. */
  public MemoryTransport transport(PeerId localPeer) {
    return new MemoryTransport(this, localPeer);
  }

  public void setDefaultLink(LinkConfig link) {
    this.defaultLink = link;
  }

  /** Sets the link between {@code a} and {@code b} (both directions) for connections made from now. */
  public void setLink(PeerId a, PeerId b, LinkConfig link) {
    links.put(Set.of(a, b), link);
  }

  /** Cuts {@code a} from {@code b}: their connections close at once and dials between them fail. */
  public void partition(PeerId a, PeerId b) {
    partitions.add(Set.of(a, b));
    List<MemoryConnection> cut = new ArrayList<>();
    for (MemoryConnection c : connections.values()) {
      if (c.isInitiator() && Set.of(c.localPeer(), c.remotePeer()).equals(Set.of(a, b))) cut.add(c);
    }
    scheduler.execute(() -> cut.forEach(c -> c.abort("network partition")));
  }

  /**
   * Makes {@code peer} stop reading: everything sent to it is held (its senders' windows fill up
   * and their writes wait), as with a peer that stops reading its socket. Undo with {@link #resumeReads}.
   */
  public void stallReads(PeerId peer) {
    stalled.add(peer);
  }

  public void resumeReads(PeerId peer) {
    stalled.remove(peer);
    scheduler.execute(() -> {
      for (MemoryConnection c : connections.values()) if (c.remotePeer().equals(peer)) c.releaseHeld();
    });
  }

  boolean stalled(PeerId peer) {
    return !stalled.isEmpty() && stalled.contains(peer);
  }

  /** Undoes {@link #partition}. */
  public void heal(PeerId a, PeerId b) {
    partitions.remove(Set.of(a, b));
  }

  /** Open connections (each counted once, from the dialler's side). */
  public int connectionCount() {
    int n = 0;
    for (MemoryConnection c : connections.values()) if (c.isInitiator()) n++;
    return n;
  }

  LinkConfig link(PeerId a, PeerId b) {
    LinkConfig l = links.get(Set.of(a, b));
    return l != null ? l : defaultLink;
  }

  boolean partitioned(PeerId a, PeerId b) {
    return partitions.contains(Set.of(a, b));
  }

  Random random() {
    return random;
  }

  long nextConnectionId() {
    return nextConnectionId.getAndIncrement();
  }

  void opened(MemoryConnection c) {
    connections.put(c.id(), c);
  }

  void closed(MemoryConnection c) {
    connections.remove(c.id());
  }

  /** Registers a listener; {@link MemoryAddress#ANY} picks a fresh name. */
  CompletableFuture<Multiaddr> bind(String name, MemoryTransport transport, dev.weft.p2p.transport.ConnectionSink sink) {
    String actual = name;
    if (MemoryAddress.ANY.equals(name)) {
      do {
        actual = Long.toString(nextName.getAndIncrement());
      } while (listeners.containsKey(actual));
    }
    Listener l = new Listener(actual, transport, sink);
    if (listeners.putIfAbsent(actual, l) != null) {
      return CompletableFuture.failedFuture(new java.io.IOException("memory address in use: /memory/" + actual));
    }
    return CompletableFuture.completedFuture(MemoryAddress.of(actual));
  }

  /** A fresh name for the local end of an outbound connection that has no listener. */
  String ephemeralName() {
    return "e" + nextName.getAndIncrement();
  }

  Listener listener(String name) {
    return listeners.get(name);
  }

  void unbind(MemoryTransport transport) {
    listeners.values().removeIf(l -> l.transport() == transport);
  }

  /** Names the transport listens on, for choosing a local address when dialling. */
  List<String> namesOf(MemoryTransport transport) {
    List<String> names = new ArrayList<>();
    for (Listener l : listeners.values()) if (l.transport() == transport) names.add(l.name());
    names.sort(null);
    return names;
  }
}
