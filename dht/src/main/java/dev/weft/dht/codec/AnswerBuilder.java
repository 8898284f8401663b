package dev.weft.dht.codec;

import com.google.protobuf.CodedOutputStream;
import dev.weft.dht.keyspace.PeerInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an answer that fits the reader's limit. A GET_PROVIDERS answer that lists every
 * provider with every address can exceed what the asker will read (25 providers with 32 addresses
 * of 1 KB is 800 KB against weft's 64 KiB), and the asker then throws the whole answer away, honest
 * providers included. So the answer is filled in order of value, each peer with at most
 * {@code addrsPerPeer} addresses (shortest first: a real address is short, padding is long), a
 * peer that does not fit with its addresses is sent with none, and peers stop when not even an id
 * fits: first the record, then providers (in the caller's order of preference, which puts those
 * verified by contact first) within three quarters of the room, then closer peers, then any
 * providers left. Pure function; the sizes are the protobuf encoding's exact sizes.
 */
public final class AnswerBuilder {
  /** Field numbers in the kad-dht Message (dht.proto). */
  private static final int CLOSER_PEERS_FIELD = 8;
  private static final int PROVIDER_PEERS_FIELD = 9;

  private AnswerBuilder() {}

  /**
   * @param providers in order of preference
   * @param maxBytes the encoded body must not exceed this
   */
  public static DhtMessage build(DhtMessage.Type type, byte[] key, DhtMessage.DhtRecord record, List<PeerInfo> closer, List<PeerInfo> providers,
      int maxBytes, int addrsPerPeer) {
    DhtMessage base = new DhtMessage(type, key, record, List.of(), List.of());
    int used = DhtCodec.encode(base).length;
    if (used > maxBytes) throw new IllegalArgumentException("record and key alone take " + used + " bytes, over " + maxBytes);
    List<PeerInfo> provOut = new ArrayList<>();
    List<PeerInfo> closerOut = new ArrayList<>();
    int providerRoom = used + (maxBytes - used) * 3 / 4;
    int next = 0;
    for (; next < providers.size() && provOut.size() < DhtCodec.MAX_PEERS; next++) {
      int size = add(providers.get(next), PROVIDER_PEERS_FIELD, providerRoom - used, addrsPerPeer, provOut);
      if (size < 0) break;
      used += size;
    }
    for (PeerInfo p : closer) {
      if (closerOut.size() == DhtCodec.MAX_PEERS) break;
      int size = add(p, CLOSER_PEERS_FIELD, maxBytes - used, addrsPerPeer, closerOut);
      if (size < 0) break;
      used += size;
    }
    for (; next < providers.size() && provOut.size() < DhtCodec.MAX_PEERS; next++) {
      int size = add(providers.get(next), PROVIDER_PEERS_FIELD, maxBytes - used, addrsPerPeer, provOut);
      if (size < 0) break;
      used += size;
    }
    return new DhtMessage(type, key, record, closerOut, provOut);
  }

  /** Appends {@code p} (trimmed to fit {@code room}) to {@code out}; returns the bytes it took, or -1 if not even its id fits. */
  private static int add(PeerInfo p, int field, int room, int addrsPerPeer, List<PeerInfo> out) {
    List<byte[]> addrs = new ArrayList<>(p.addrs());
    addrs.sort((a, b) -> Integer.compare(a.length, b.length));
    if (addrs.size() > addrsPerPeer) addrs = addrs.subList(0, addrsPerPeer);
    while (true) {
      int size = fieldSize(field, peerSize(p, addrs));
      if (size <= room) {
        out.add(addrs.size() == p.addrs().size() && addrs.equals(p.addrs()) ? p : p.withAddrs(addrs));
        return size;
      }
      if (addrs.isEmpty()) return -1;
      addrs = addrs.subList(0, addrs.size() - 1);
    }
  }

  /** The encoded size of one Peer message with {@code addrs}. */
  static int peerSize(PeerInfo p, List<byte[]> addrs) {
    int n = CodedOutputStream.computeByteArraySize(1, p.id().bytes());
    for (byte[] a : addrs) n += CodedOutputStream.computeByteArraySize(2, a);
    return n;
  }

  private static int fieldSize(int field, int messageSize) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(messageSize) + messageSize;
  }
}
