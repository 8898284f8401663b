package dev.weft.dht;

import dev.weft.dht.keyspace.PeerInfo;
import java.util.List;
import java.util.Optional;

/**
 * What one DHT operation found and what it cost: one record type per operation, each with the
 * cost fields every operation shares.
 */
public sealed interface QueryResult {
  /** Referral depth of the peer that gave the answer (0: answered locally). */
  int hops();

  /** Requests this operation sent. */
  int messages();

  /** Duration on the node's clock. */
  long millis();

  /** Bootstrap and closest-peer lookups: the closest peers that answered, closest first. */
  record ClosestPeers(List<PeerInfo> closest, int hops, int messages, long millis) implements QueryResult {
    public ClosestPeers {
      closest = List.copyOf(closest);
    }
  }

  /** FIND_NODE for one peer: where it can be reached, if anyone knew. */
  record PeerFound(Optional<PeerInfo> peer, int hops, int messages, long millis) implements QueryResult {}

  /**
   * PUT_VALUE or ADD_PROVIDER to the closest peers.
   *
   * @param closest where it was sent
   * @param stored peers that accepted it
   */
  record Stored(List<PeerInfo> closest, int stored, int hops, int messages, long millis) implements QueryResult {
    public Stored {
      closest = List.copyOf(closest);
    }
  }

  /**
   * GET_VALUE: the best valid value, if any.
   *
   * @param closest the closest peers that answered (empty when answered locally)
   */
  record Value(Optional<byte[]> value, List<PeerInfo> closest, int hops, int messages, long millis) implements QueryResult {
    public Value {
      closest = List.copyOf(closest);
    }
  }

  /** GET_PROVIDERS: the providers found, in discovery order. */
  record Providers(List<PeerInfo> providers, List<PeerInfo> closest, int hops, int messages, long millis) implements QueryResult {
    public Providers {
      providers = List.copyOf(providers);
      closest = List.copyOf(closest);
    }
  }
}
