package dev.weft.dht.codec;

import dev.weft.dht.keyspace.PeerInfo;
import java.util.Arrays;
import java.util.List;

/**
 * One kad-dht RPC message (request or response), decoded and validated: no protobuf or ByteBuf
 * above the codec. {@code record} is null when absent; peers are never null.
 */
public record DhtMessage(Type type, byte[] key, DhtRecord record, List<PeerInfo> closerPeers, List<PeerInfo> providerPeers) {
  /** The wire message types; numbers are the protobuf enum values. */
  public enum Type {
    PUT_VALUE, GET_VALUE, ADD_PROVIDER, GET_PROVIDERS, FIND_NODE, PING
  }

  public DhtMessage {
    key = key == null ? new byte[0] : key;
    closerPeers = List.copyOf(closerPeers);
    providerPeers = List.copyOf(providerPeers);
  }

  public static DhtMessage request(Type type, byte[] key) {
    return new DhtMessage(type, key, null, List.of(), List.of());
  }

  public static DhtMessage putValue(DhtRecord record) {
    return new DhtMessage(Type.PUT_VALUE, record.key(), record, List.of(), List.of());
  }

  public static DhtMessage addProvider(byte[] multihash, PeerInfo self) {
    return new DhtMessage(Type.ADD_PROVIDER, multihash, null, List.of(), List.of(self));
  }

  /** A value as carried in {@code Message.record}. {@code timeReceived} is RFC 3339 or empty. */
  public record DhtRecord(byte[] key, byte[] value, String timeReceived) {
    public DhtRecord {
      timeReceived = timeReceived == null ? "" : timeReceived;
    }

    @Override public boolean equals(Object o) {
      return o instanceof DhtRecord r && Arrays.equals(r.key, key) && Arrays.equals(r.value, value) && r.timeReceived.equals(timeReceived);
    }

    @Override public int hashCode() {
      return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof DhtMessage m && m.type == type && Arrays.equals(m.key, key) && java.util.Objects.equals(m.record, record)
        && m.closerPeers.equals(closerPeers) && m.providerPeers.equals(providerPeers);
  }

  @Override public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(key);
  }
}
