package dev.weft.p2p.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer's own signed list of its addresses (libp2p RFC 0003), as identify carries it in
 * {@code signedPeerRecord}: certified addresses that a third party relaying them cannot forge.
 * {@code seq} orders a peer's records; a newer record replaces an older one.
 *
 * <p>The domain {@code "libp2p-peer-record"} and payload type {@code 0x03 0x01} (multicodec
 * {@code libp2p-peer-record}, 0x0301, as two big-endian bytes) are what go-libp2p and
 * js-libp2p use; the RFC's draft values ({@code "libp2p-routing-state"}, a UTF-8 path) were never
 * deployed, so we follow the implementations to interoperate.
 */
public record PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {
  public static final String DOMAIN = "libp2p-peer-record";
  public static final byte[] PAYLOAD_TYPE = {0x03, 0x01};
  /** Addresses a record may carry; more is refused (an identify message holds at most this many too). */
  public static final int MAX_ADDRESSES = 32;

  public PeerRecord {
    if (addresses.size() > MAX_ADDRESSES) throw new IllegalArgumentException("more than " + MAX_ADDRESSES + " addresses");
    addresses = List.copyOf(addresses);
  }

  /** This record signed by {@code key}, which must be the record's peer's key. */
  public SignedEnvelope sign(PrivKey key) {
    if (!peerId.matches(key.publicKey())) throw new IllegalArgumentException("the key is not " + peerId + "'s");
    return SignedEnvelope.seal(key, DOMAIN, PAYLOAD_TYPE, encode());
  }

  /** The record's protobuf payload. */
  public byte[] encode() {
    dev.weft.p2p.record.pb.PeerRecord.Builder b = dev.weft.p2p.record.pb.PeerRecord.newBuilder()
        .setPeerId(ByteString.copyFrom(peerId.bytes())).setSeq(seq);
    for (Multiaddr a : addresses) {
      b.addAddresses(dev.weft.p2p.record.pb.PeerRecord.AddressInfo.newBuilder().setMultiaddr(ByteString.copyFrom(a.bytes())));
    }
    return b.build().toByteArray();
  }

  /**
   * Opens a signed peer record: the envelope's signature first, then the payload, then that the
   * record's peer id is the signer's (the RFC's order).
   */
  public static PeerRecord open(byte[] envelope) throws InvalidRecordException {
    SignedEnvelope e = SignedEnvelope.open(envelope, DOMAIN, PAYLOAD_TYPE);
    PeerRecord r = decode(e.payload());
    if (!r.peerId.matches(e.publicKey())) throw new InvalidRecordException("peer record of " + r.peerId + " signed by another key");
    return r;
  }

  /** Decodes a record payload (unverified: use {@link #open} for anything from the network). */
  static PeerRecord decode(byte[] payload) throws InvalidRecordException {
    dev.weft.p2p.record.pb.PeerRecord m;
    try {
      m = dev.weft.p2p.record.pb.PeerRecord.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidRecordException("malformed peer record: " + e.getMessage());
    }
    if (m.getAddressesCount() > MAX_ADDRESSES) throw new InvalidRecordException("peer record with " + m.getAddressesCount() + " addresses");
    PeerId id;
    try {
      id = PeerId.fromBytes(m.getPeerId().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("peer record peer id: " + e.getMessage());
    }
    List<Multiaddr> addrs = new ArrayList<>(m.getAddressesCount());
    for (dev.weft.p2p.record.pb.PeerRecord.AddressInfo a : m.getAddressesList()) {
      try {
        addrs.add(Multiaddr.fromBytes(a.getMultiaddr().toByteArray()));
      } catch (IllegalArgumentException e) {
        throw new InvalidRecordException("peer record address: " + e.getMessage());
      }
    }
    return new PeerRecord(id, m.getSeq(), addrs);
  }
}
