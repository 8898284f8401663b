package dev.weft.p2p.protocol.identify;

import dev.weft.p2p.addr.InterfaceAddresses;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.record.PeerRecord;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Our own signed peer record, as identify sends it: the listen addresses with {@code 0.0.0.0} and
 * {@code ::} expanded to interface addresses, signed with the host key. The record is re-signed
 * only when the addresses change, with a sequence number that always grows: wall-clock
 * milliseconds (so a restart does not go backwards, as RFC 0003 allows) or the previous one plus
 * one, whichever is larger. Thread-safe.
 */
final class OwnPeerRecord {
  private final PrivKey key;
  private final PeerId self;
  private final Supplier<List<Multiaddr>> listen;
  private final Supplier<InterfaceAddresses> interfaces;
  private final LongSupplier wallMillis;
  private List<Multiaddr> lastAddrs;
  private byte[] lastRecord;
  private long seq;

  OwnPeerRecord(PrivKey key, Supplier<List<Multiaddr>> listen, Supplier<InterfaceAddresses> interfaces, LongSupplier wallMillis) {
    this.key = key;
    this.self = PeerId.fromPublicKey(key.publicKey());
    this.listen = listen;
    this.interfaces = interfaces;
    this.wallMillis = wallMillis;
  }

  /** The addresses we advertise now: listen addresses, unspecified ones expanded, at most the record's limit. */
  synchronized List<Multiaddr> addresses() {
    List<Multiaddr> own = listen.get().stream().map(Multiaddr::withoutPeerId).toList();
    // Reading the interfaces costs a system call per interface: only when there is something to expand.
    List<Multiaddr> out = own.stream().anyMatch(Multiaddr::isUnspecified) ? interfaces.get().expand(own) : own;
    return out.size() > PeerRecord.MAX_ADDRESSES ? out.subList(0, PeerRecord.MAX_ADDRESSES) : out;
  }

  /** The signed record (envelope bytes) for {@link #addresses()}. */
  synchronized byte[] envelope() {
    List<Multiaddr> addrs = addresses();
    if (lastRecord == null || !addrs.equals(lastAddrs)) {
      seq = Math.max(wallMillis.getAsLong(), seq + 1);
      lastAddrs = addrs;
      lastRecord = new PeerRecord(self, seq, addrs).sign(key).encode();
    }
    return lastRecord.clone();
  }
}
