package dev.weft.cli.dht;

import dev.weft.dht.host.KadDht;
import dev.weft.p2p.api.Host;
import java.util.Map;
import java.util.WeakHashMap;

/** Which DHT runs on which host, so stateless serve commands can find it. Thread-safe. */
public final class DhtRegistry {
  private static final Map<Host, KadDht> BY_HOST = new WeakHashMap<>();

  private DhtRegistry() {}

  static synchronized void register(Host host, KadDht dht) {
    BY_HOST.put(host, dht);
  }

  /** The DHT on {@code host}; fails with a one-line reason when it has none. */
  public static synchronized KadDht of(Host host) {
    KadDht d = BY_HOST.get(host);
    if (d == null) throw new IllegalStateException("no DHT on this host");
    return d;
  }
}
