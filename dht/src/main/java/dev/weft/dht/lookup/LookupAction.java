package dev.weft.dht.lookup;

import dev.weft.dht.keyspace.PeerInfo;

/** What a lookup wants done next (see {@link Lookup#next}). */
public sealed interface LookupAction {
  /** Send the lookup's request to {@code peer} now; the lookup counts it as in flight. */
  record Query(PeerInfo peer) implements LookupAction {}

  /** Nothing to send until a response arrives or {@code untilMillis} (a request's deadline). */
  record Wait(long untilMillis) implements LookupAction {}

  /** Terminated: {@link Lookup#result()} is final. */
  record Done() implements LookupAction {}
}
