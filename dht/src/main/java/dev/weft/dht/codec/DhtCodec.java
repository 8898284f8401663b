package dev.weft.dht.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.pb.DhtProto;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of one kad-dht message body (without its uvarint length prefix) to {@link DhtMessage} and
 * back. Decoding enforces every limit below before anything reaches protocol logic, so a hostile
 * frame costs at most {@link #MAX_MESSAGE_BYTES} of parsing. Stateless and thread-safe.
 */
public final class DhtCodec {
  /**
   * Largest message accepted. A full response (20 peers with a handful of addresses each, plus a
   * record) is a few KiB; rust-libp2p caps at 16 KiB, go and js at 4 MiB. 64 KiB leaves room for
   * peers with many addresses and a maximal record while bounding what one stream can make us parse.
   */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;
  /** Largest record value stored or accepted; run manifests are a few KiB. */
  public static final int MAX_VALUE_BYTES = 16 * 1024;
  /** Longest key: namespaced keys are short; multihashes are at most ~130 bytes. */
  public static final int MAX_KEY_BYTES = 512;
  /** Peers in closerPeers / providerPeers: implementations send k = 20; twice that is hostile. */
  public static final int MAX_PEERS = 40;
  /** Addresses per peer; real peers list a few, busy IPFS nodes up to ~20. */
  public static final int MAX_ADDRS_PER_PEER = 32;
  /** Nesting the parser will follow; our messages nest three deep. */
  private static final int MAX_RECURSION = 8;

  private DhtCodec() {}

  /**
   * Decodes and validates one message.
   *
   * @throws DhtDecodeException for an oversized frame, malformed protobuf, unknown type, or any
   *     field over its limit, an invalid PeerId or an invalid multiaddr
   */
  public static DhtMessage decode(byte[] frame) throws DhtDecodeException {
    if (frame.length > MAX_MESSAGE_BYTES) throw new DhtDecodeException("message of " + frame.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
    DhtProto.Message m;
    try {
      CodedInputStream in = CodedInputStream.newInstance(frame);
      in.setRecursionLimit(MAX_RECURSION);
      in.setSizeLimit(MAX_MESSAGE_BYTES);
      m = DhtProto.Message.parseFrom(in);
    } catch (java.io.IOException e) {
      // InvalidProtocolBufferException, or an IOException the byte-array input never really throws
      throw new DhtDecodeException("malformed protobuf: " + e.getMessage(), e);
    }
    if (m.getType() == DhtProto.Message.MessageType.UNRECOGNIZED) {
      throw new DhtDecodeException("unknown message type " + m.getTypeValue());
    }
    DhtMessage.Type type = DhtMessage.Type.values()[m.getTypeValue()];
    if (m.getKey().size() > MAX_KEY_BYTES) throw new DhtDecodeException("key of " + m.getKey().size() + " bytes");
    DhtMessage.DhtRecord record = null;
    if (m.hasRecord()) {
      DhtProto.Record r = m.getRecord();
      if (r.getKey().size() > MAX_KEY_BYTES) throw new DhtDecodeException("record key of " + r.getKey().size() + " bytes");
      if (r.getValue().size() > MAX_VALUE_BYTES) throw new DhtDecodeException("record value of " + r.getValue().size() + " bytes exceeds " + MAX_VALUE_BYTES);
      if (r.getTimeReceived().length() > 64) throw new DhtDecodeException("timeReceived too long");
      record = new DhtMessage.DhtRecord(r.getKey().toByteArray(), r.getValue().toByteArray(), r.getTimeReceived());
    }
    return new DhtMessage(type, m.getKey().toByteArray(), record, peers("closerPeers", m.getCloserPeersList()), peers("providerPeers", m.getProviderPeersList()));
  }

  private static List<PeerInfo> peers(String field, List<DhtProto.Message.Peer> wire) throws DhtDecodeException {
    if (wire.size() > MAX_PEERS) throw new DhtDecodeException(field + " has " + wire.size() + " peers, limit " + MAX_PEERS);
    List<PeerInfo> out = new ArrayList<>(wire.size());
    for (DhtProto.Message.Peer p : wire) {
      PeerId id;
      try {
        id = PeerId.fromBytes(p.getId().toByteArray());
      } catch (IllegalArgumentException e) {
        throw new DhtDecodeException(field + ": invalid peer id: " + e.getMessage(), e);
      }
      if (p.getAddrsCount() > MAX_ADDRS_PER_PEER) throw new DhtDecodeException(field + ": peer " + id + " has " + p.getAddrsCount() + " addresses");
      List<byte[]> addrs = new ArrayList<>(p.getAddrsCount());
      for (ByteString a : p.getAddrsList()) {
        byte[] bytes = a.toByteArray();
        if (!MultiaddrBytes.isValid(bytes)) throw new DhtDecodeException(field + ": peer " + id + " has an invalid multiaddr");
        addrs.add(bytes);
      }
      out.add(PeerInfo.of(id, addrs));
    }
    return out;
  }

  /** Encodes a message; the caller keeps it within the limits (we never send what we'd reject). */
  public static byte[] encode(DhtMessage msg) {
    DhtProto.Message.Builder b = DhtProto.Message.newBuilder()
        .setTypeValue(msg.type().ordinal())
        .setKey(ByteString.copyFrom(msg.key()));
    if (msg.record() != null) {
      b.setRecord(DhtProto.Record.newBuilder()
          .setKey(ByteString.copyFrom(msg.record().key()))
          .setValue(ByteString.copyFrom(msg.record().value()))
          .setTimeReceived(msg.record().timeReceived()));
    }
    for (PeerInfo p : msg.closerPeers()) b.addCloserPeers(peer(p));
    for (PeerInfo p : msg.providerPeers()) b.addProviderPeers(peer(p));
    return b.build().toByteArray();
  }

  private static DhtProto.Message.Peer peer(PeerInfo p) {
    DhtProto.Message.Peer.Builder b = DhtProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(p.id().bytes()));
    int n = 0;
    for (byte[] a : p.addrs()) {
      if (n++ == MAX_ADDRS_PER_PEER) break;
      b.addAddrs(ByteString.copyFrom(a));
    }
    return b.build();
  }
}
