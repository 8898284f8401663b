package dev.weft.testnet;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.ConnectionGater;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.HashMap;
import java.util.Map;

/**
 * The testnet's network split: while split, each node is on one of two sides and no connection
 * may join the sides. Every node's host asks it through its own {@link #gaterFor gater}: dials to
 * the other side fail, connections from it are closed as they authenticate; after a
 * {@link #split} the testnet calls each host's {@code regate()} to close the connections already
 * open between the sides. Peers it does not know (the coordinator) are never refused.
 * Thread-safe: the gaters read one immutable map, swapped whole.
 */
final class Partition {
  /** Side of each peer while split; empty when whole. */
  private volatile Map<PeerId, Integer> sides = Map.of();
  private final Map<PeerId, String> labels = new java.util.concurrent.ConcurrentHashMap<>();

  /** Splits the network: {@code sides} maps every live node to side 0 or 1. */
  void split(Map<PeerId, Integer> sides) {
    this.sides = Map.copyOf(sides);
  }

  /** Makes the network whole again (connections are allowed; nobody is dialled by this). */
  void heal() {
    sides = Map.of();
  }

  boolean isSplit() {
    return !sides.isEmpty();
  }

  /** A node started while split joins {@code side}. */
  void place(PeerId peer, int side) {
    Map<PeerId, Integer> m = new HashMap<>(sides);
    if (m.isEmpty()) return;
    m.put(peer, side);
    sides = Map.copyOf(m);
  }

  /** Names peers in the gaters' reasons. */
  void label(PeerId peer, String label) {
    labels.put(peer, label);
  }

  /** Whether {@code a} and {@code b} are on different sides now. */
  boolean apart(PeerId a, PeerId b) {
    Map<PeerId, Integer> m = sides;
    Integer x = m.get(a), y = m.get(b);
    return x != null && y != null && !x.equals(y);
  }

  /** The gater of the host of {@code self}. */
  ConnectionGater gaterFor(PeerId self) {
    return new ConnectionGater() {
      @Override public String refuseDial(PeerId peer, Multiaddr address) {
        return peer == null ? null : refusal(self, peer);
      }

      @Override public String refuseConnection(Connection c) {
        return refusal(self, c.remotePeer());
      }

      @Override public String toString() {
        return "partition gater of " + name(self);
      }
    };
  }

  private String refusal(PeerId self, PeerId peer) {
    if (!apart(self, peer)) return null;
    return "network partition: " + name(self) + " and " + name(peer) + " are on different sides";
  }

  private String name(PeerId p) {
    String l = labels.get(p);
    return l != null ? l : p.toBase58();
  }
}
