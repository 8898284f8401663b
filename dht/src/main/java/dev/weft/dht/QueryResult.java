package dev.weft.dht;

import java.util.List;
import java.util.Optional;

/**
 * What a DHT operation found and what it cost.
 *
 * @param closest the closest peers that answered (FIND_NODE style lookups), closest first
 * @param value the best valid value (GET), if any
 * @param providers providers found (GET_PROVIDERS), in discovery order
 * @param stored peers that accepted a PUT_VALUE / ADD_PROVIDER
 * @param hops referral depth of the peer that gave the answer (0: answered locally)
 * @param messages requests this operation sent
 * @param millis duration on the node's clock
 */
public record QueryResult(List<PeerInfo> closest, Optional<byte[]> value, List<PeerInfo> providers, int stored, int hops, int messages, long millis) {
  public QueryResult {
    closest = List.copyOf(closest);
    providers = List.copyOf(providers);
  }
}
