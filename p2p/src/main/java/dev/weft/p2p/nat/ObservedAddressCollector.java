package dev.weft.p2p.nat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.identify.IdentifyService;
import dev.weft.p2p.time.Scheduler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Feeds identify's observed addresses into an {@link ObservedAddressBook} and answers questions
 * about it. The book lives on {@code scheduler}'s thread: identify callbacks (on connection
 * threads) only enqueue, and queries return futures completed there.
 */
public final class ObservedAddressCollector {
  private final Scheduler scheduler;
  private final ObservedAddressBook book;
  private final Supplier<List<Multiaddr>> listenAddresses;

  public ObservedAddressCollector(Scheduler scheduler, ObservedAddressConfig config, Supplier<List<Multiaddr>> listenAddresses) {
    this.scheduler = scheduler;
    this.book = new ObservedAddressBook(config);
    this.listenAddresses = listenAddresses;
  }

  /** Collects what {@code identify} hears from now on. */
  public static ObservedAddressCollector attach(IdentifyService identify, Scheduler scheduler, ObservedAddressConfig config,
      Supplier<List<Multiaddr>> listenAddresses) {
    ObservedAddressCollector c = new ObservedAddressCollector(scheduler, config, listenAddresses);
    identify.onObservedAddress(c::observed);
    return c;
  }

  /** Called on any thread: {@code connection}'s remote says it sees us at {@code observed}. */
  public void observed(Connection connection, Multiaddr observed) {
    scheduler.execute(() -> book.record(connection.remotePeer(), connection.remoteAddress(), connection.localAddress(), observed,
        scheduler.nowMillis()));
  }

  public CompletableFuture<List<ObservedAddress>> addresses() {
    return onScheduler(() -> book.addresses(scheduler.nowMillis()));
  }

  /** Addresses to test with AutoNAT ({@link ExternalAddressCandidates}). */
  public CompletableFuture<List<Multiaddr>> candidates() {
    return onScheduler(() -> {
      long now = scheduler.nowMillis();
      return ExternalAddressCandidates.of(book.confirmed(now), book.confirmedIps(now), listenAddresses.get());
    });
  }

  private <T> CompletableFuture<T> onScheduler(Supplier<T> s) {
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
