package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.PubsubMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gossipsub message cache (v1.0, "Message Cache"): recent messages in history windows of one
 * heartbeat each; the newest {@code gossip} windows are advertised in IHAVE, all {@code len} are
 * served to IWANT. Also counts per peer how often a message was served, for the v1.1
 * retransmission limit. Confined to the router thread.
 */
public final class MessageCache {
  private record Key(MessageId id, String topic) {}

  /** A cached message and the number of times each peer got it through IWANT. */
  private static final class Entry {
    final PubsubMessage message;
    final Map<PeerId, Integer> served = new HashMap<>(4);

    Entry(PubsubMessage message) {
      this.message = message;
    }
  }

  private final int gossip;
  private final int len;
  private final Map<MessageId, Entry> messages = new HashMap<>();
  private final ArrayDeque<List<Key>> windows = new ArrayDeque<>();

  public MessageCache(int gossip, int len) {
    if (len < 1 || gossip < 0 || gossip > len) throw new IllegalArgumentException("need 0 <= gossip <= len, len >= 1");
    this.gossip = gossip;
    this.len = len;
    windows.addFirst(new ArrayList<>());
  }

  /** Adds a message to the newest window; a message already cached is not added twice. */
  public void put(MessageId id, PubsubMessage message) {
    if (messages.putIfAbsent(id, new Entry(message)) == null) windows.peekFirst().add(new Key(id, message.topic()));
  }

  public PubsubMessage get(MessageId id) {
    Entry e = messages.get(id);
    return e == null ? null : e.message;
  }

  /** A cached message with how often it has now been served to {@code peer}, including this time. */
  public record Served(PubsubMessage message, int count) {}

  /** Looks up a message for an IWANT from {@code peer} and counts the retransmission; null if not cached. */
  public Served getForPeer(MessageId id, PeerId peer) {
    Entry e = messages.get(id);
    if (e == null) return null;
    int n = e.served.merge(peer, 1, Integer::sum);
    return new Served(e.message, n);
  }

  /** Ids of the messages of the newest {@code gossip} windows in {@code topic}, newest first. */
  public List<MessageId> gossipIds(String topic) {
    List<MessageId> out = new ArrayList<>();
    int w = 0;
    for (List<Key> window : windows) {
      if (w++ >= gossip) break;
      for (Key k : window) {
        if (k.topic().equals(topic)) out.add(k.id());
      }
    }
    return out;
  }

  /** Starts a new window and forgets the messages of the oldest one beyond {@code len}. */
  public void shift() {
    windows.addFirst(new ArrayList<>());
    while (windows.size() > len) {
      for (Key k : windows.removeLast()) messages.remove(k.id());
    }
  }

  public int size() {
    return messages.size();
  }
}
