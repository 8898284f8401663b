package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * IWANT promises (gossipsub v1.1, "Spam Protection Measures"): for each IWANT we send after an
 * IHAVE, one random id of the request is tracked; if that message has not arrived (from anyone)
 * by the deadline, the advertising peer broke its promise and earns a behaviour penalty.
 * Confined to the router thread.
 */
final class GossipPromises {
  /** Ids tracked at once; beyond it new promises are not tracked (they cost nothing). */
  static final int MAX_TRACKED = 100_000;

  private final Map<MessageId, Map<PeerId, Long>> promises = new HashMap<>();
  private final Random random;

  GossipPromises(Random random) {
    this.random = random;
  }

  void track(PeerId peer, List<MessageId> ids, long deadline) {
    if (ids.isEmpty() || promises.size() >= MAX_TRACKED) return;
    MessageId id = ids.get(random.nextInt(ids.size()));
    promises.computeIfAbsent(id, k -> new HashMap<>(2)).putIfAbsent(peer, deadline);
  }

  /** The message arrived (valid or not, a reply is a reply): every promise for it is kept. */
  void delivered(MessageId id) {
    promises.remove(id);
  }

  /** Removes expired promises and returns how many each peer broke. */
  Map<PeerId, Integer> collectBroken(long now) {
    Map<PeerId, Integer> broken = new HashMap<>();
    Iterator<Map<PeerId, Long>> it = promises.values().iterator();
    while (it.hasNext()) {
      Map<PeerId, Long> byPeer = it.next();
      Iterator<Map.Entry<PeerId, Long>> pit = byPeer.entrySet().iterator();
      while (pit.hasNext()) {
        Map.Entry<PeerId, Long> e = pit.next();
        if (e.getValue() <= now) {
          broken.merge(e.getKey(), 1, Integer::sum);
          pit.remove();
        }
      }
      if (byPeer.isEmpty()) it.remove();
    }
    return broken;
  }

  int size() {
    return promises.size();
  }
}
