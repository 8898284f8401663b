package dev.weft.dht.lookup;

import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.p2p.api.PeerId;
import java.util.List;

/**
 * An iterative Kademlia lookup as a pure state machine (no sockets, no timers): it is told what
 * happened to the requests it asked for and asked what to do next at a given time. The driver
 * calls {@link #next} until it returns {@link LookupAction.Wait} or {@link LookupAction.Done},
 * sends each {@link LookupAction.Query}, and calls {@link #next} again after every response,
 * failure, or when the wait's deadline passes (which times the request out).
 *
 * <pre>
 *  per peer:  NOT_CONTACTED --query--> WAITING --response--> SUCCEEDED
 *                  |        ^             |----error-----------------> FAILED
 *                  |        '--timeout-----|  (attempts left; else FAILED)
 *                  '--claimed by another disjoint path--> SKIPPED
 * </pre>
 *
 * Not thread-safe; one driver owns it.
 */
public interface Lookup {
  LookupAction next(long nowMillis);

  /** {@code peer} answered; {@code closerPeers} become candidates (unless already known). */
  void onSuccess(PeerId peer, List<PeerInfo> closerPeers, long nowMillis);

  /** The request to {@code peer} failed (error, bad answer). Late calls are ignored. */
  void onFailure(PeerId peer, long nowMillis);

  /** The request to {@code peer} went unanswered: retried while attempts remain, else a failure. */
  void onTimeout(PeerId peer, long nowMillis);

  boolean isFinished();

  /** The up to k closest peers that answered, closest first. */
  List<PeerInfo> result();

  /** Requests asked for so far. */
  int queriesSent();

  /** Longest chain of referrals to any peer in {@link #result()}: 1 for peers we already knew. */
  int hops();

  /** The hop depth of {@code peer} (1 for seeds), or 0 if unknown. */
  int depthOf(PeerId peer);
}
