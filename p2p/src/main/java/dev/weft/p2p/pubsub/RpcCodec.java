package dev.weft.p2p.pubsub;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes ↔ {@link Rpc} for the pubsub RPC of {@code rpc.proto}.
 *
 * <p>Decoding is bounded: the size is checked first, every repeated field is counted while it is
 * read and the decode stops at the first entry over an {@link RpcLimits} bound, so a hostile RPC
 * costs at most its (bounded) length in work and allocation. Unknown fields are skipped; a known
 * field with the wrong wire type, a message without topic, or a truncated field is malformed.
 *
 * <p>Encoding writes fields in field-number order, which is the canonical order js-libp2p and
 * go-libp2p use when they re-encode a message to check its signature.
 *
 * <p>Stateless and thread-safe.
 */
public final class RpcCodec {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;

  private RpcCodec() {}

  // ---------------------------------------------------------------- encoding

  public static byte[] encode(Rpc rpc) {
    byte[] out = new byte[rpcSize(rpc)];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (Rpc.Subscription s : rpc.subscriptions()) {
        o.writeTag(1, LEN);
        o.writeUInt32NoTag(subSize(s));
        o.writeBool(1, s.subscribe());
        o.writeByteArray(2, utf8(s.topic()));
      }
      for (PubsubMessage m : rpc.messages()) {
        o.writeTag(2, LEN);
        o.writeUInt32NoTag(messageBodySize(m));
        writeMessageBody(o, m);
      }
      if (!rpc.control().isEmpty()) {
        o.writeTag(3, LEN);
        o.writeUInt32NoTag(controlSize(rpc.control()));
        writeControl(o, rpc.control());
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("size computation disagrees with encoder", e);
    }
    return out;
  }

  /**
   * The bytes a StrictSign signature covers: {@code "libp2p-pubsub:"} followed by the message
   * encoded without its {@code signature} and {@code key} fields. The spec only names the
   * signature, but go, js and rust all leave the key out too (the key is checked against
   * {@code from} instead), so interoperable signatures must.
   */
  public static byte[] signedPayload(PubsubMessage m) {
    PubsubMessage unsigned = new PubsubMessage(m.from(), m.data(), m.seqno(), m.topic(), null, null);
    byte[] prefix = PubsubMessage.SIGNING_PREFIX.getBytes(StandardCharsets.US_ASCII);
    int size = messageBodySize(unsigned);
    byte[] out = new byte[prefix.length + size];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    CodedOutputStream o = CodedOutputStream.newInstance(out, prefix.length, size);
    try {
      writeMessageBody(o, unsigned);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Encoded size of an RPC. */
  public static int rpcSize(Rpc rpc) {
    int n = 0;
    for (Rpc.Subscription s : rpc.subscriptions()) n += nested(1, subSize(s));
    for (PubsubMessage m : rpc.messages()) n += messageSize(m);
    if (!rpc.control().isEmpty()) n += nested(3, controlSize(rpc.control()));
    return n;
  }

  /** Encoded size of a message as an entry of {@code RPC.publish}, tag and length included. */
  public static int messageSize(PubsubMessage m) {
    return nested(2, messageBodySize(m));
  }

  private static void writeMessageBody(CodedOutputStream o, PubsubMessage m) throws IOException {
    if (m.from() != null) o.writeByteArray(1, m.from());
    if (m.data() != null) o.writeByteArray(2, m.data());
    if (m.seqno() != null) o.writeByteArray(3, m.seqno());
    o.writeByteArray(4, utf8(m.topic()));
    if (m.signature() != null) o.writeByteArray(5, m.signature());
    if (m.key() != null) o.writeByteArray(6, m.key());
  }

  private static int messageBodySize(PubsubMessage m) {
    int n = 0;
    if (m.from() != null) n += bytesField(1, m.from().length);
    if (m.data() != null) n += bytesField(2, m.data().length);
    if (m.seqno() != null) n += bytesField(3, m.seqno().length);
    n += bytesField(4, utf8Length(m.topic()));
    if (m.signature() != null) n += bytesField(5, m.signature().length);
    if (m.key() != null) n += bytesField(6, m.key().length);
    return n;
  }

  private static int subSize(Rpc.Subscription s) {
    return CodedOutputStream.computeBoolSize(1, s.subscribe()) + bytesField(2, utf8Length(s.topic()));
  }

  private static void writeControl(CodedOutputStream o, Rpc.Control c) throws IOException {
    for (Rpc.IHave h : c.ihave()) {
      o.writeTag(1, LEN);
      o.writeUInt32NoTag(ihaveSize(h));
      o.writeByteArray(1, utf8(h.topic()));
      for (MessageId id : h.ids()) o.writeByteArray(2, id.unsafeBytes());
    }
    for (Rpc.IWant w : c.iwant()) {
      o.writeTag(2, LEN);
      o.writeUInt32NoTag(idsSize(w.ids()));
      for (MessageId id : w.ids()) o.writeByteArray(1, id.unsafeBytes());
    }
    for (Rpc.Graft g : c.graft()) {
      o.writeTag(3, LEN);
      o.writeUInt32NoTag(bytesField(1, utf8Length(g.topic())));
      o.writeByteArray(1, utf8(g.topic()));
    }
    for (Rpc.Prune p : c.prune()) {
      o.writeTag(4, LEN);
      o.writeUInt32NoTag(pruneSize(p));
      o.writeByteArray(1, utf8(p.topic()));
      for (Rpc.PeerInfo pi : p.peers()) {
        o.writeTag(2, LEN);
        o.writeUInt32NoTag(peerInfoSize(pi));
        if (pi.peerId() != null) o.writeByteArray(1, pi.peerId());
        if (pi.signedPeerRecord() != null) o.writeByteArray(2, pi.signedPeerRecord());
      }
      if (p.backoffSeconds() != null) o.writeUInt64(3, p.backoffSeconds());
    }
    for (Rpc.IDontWant d : c.idontwant()) {
      o.writeTag(5, LEN);
      o.writeUInt32NoTag(idsSize(d.ids()));
      for (MessageId id : d.ids()) o.writeByteArray(1, id.unsafeBytes());
    }
  }

  private static int controlSize(Rpc.Control c) {
    int n = 0;
    for (Rpc.IHave h : c.ihave()) n += nested(1, ihaveSize(h));
    for (Rpc.IWant w : c.iwant()) n += nested(2, idsSize(w.ids()));
    for (Rpc.Graft g : c.graft()) n += nested(3, bytesField(1, utf8Length(g.topic())));
    for (Rpc.Prune p : c.prune()) n += nested(4, pruneSize(p));
    for (Rpc.IDontWant d : c.idontwant()) n += nested(5, idsSize(d.ids()));
    return n;
  }

  private static int ihaveSize(Rpc.IHave h) {
    return bytesField(1, utf8Length(h.topic())) + idsSize(h.ids());
  }

  private static int idsSize(List<MessageId> ids) {
    int n = 0;
    for (MessageId id : ids) n += bytesField(1, id.length());
    return n;
  }

  private static int pruneSize(Rpc.Prune p) {
    int n = bytesField(1, utf8Length(p.topic()));
    for (Rpc.PeerInfo pi : p.peers()) n += nested(2, peerInfoSize(pi));
    if (p.backoffSeconds() != null) n += CodedOutputStream.computeUInt64Size(3, p.backoffSeconds());
    return n;
  }

  private static int peerInfoSize(Rpc.PeerInfo pi) {
    int n = 0;
    if (pi.peerId() != null) n += bytesField(1, pi.peerId().length);
    if (pi.signedPeerRecord() != null) n += bytesField(2, pi.signedPeerRecord().length);
    return n;
  }

  private static int nested(int field, int bodySize) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize;
  }

  private static int bytesField(int field, int length) {
    return nested(field, length);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) return utf8(s).length;
    }
    return n;
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Decodes one RPC.
   *
   * @throws MalformedRpcException if the bytes are not a valid RPC or exceed {@code limits}
   */
  public static Rpc decode(byte[] bytes, RpcLimits limits) throws MalformedRpcException {
    if (bytes.length > limits.maxRpcBytes()) {
      throw new MalformedRpcException("RPC of " + bytes.length + " bytes exceeds " + limits.maxRpcBytes());
    }
    try {
      return new Decoder(CodedInputStream.newInstance(bytes), limits).rpc();
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRpcException("invalid protobuf: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MalformedRpcException("unreadable RPC: " + e.getMessage(), e);
    }
  }

  /** One decode; carries the running counts that the limits apply to. */
  private static final class Decoder {
    private final CodedInputStream in;
    private final RpcLimits limits;
    private int subscriptions;
    private int messages;
    private int ihaveEntries;
    private int iwantEntries;
    private int graftEntries;
    private int pruneEntries;
    private int idontwantEntries;
    private int ihaveIds;
    private int iwantIds;
    private int idontwantIds;

    Decoder(CodedInputStream in, RpcLimits limits) {
      this.in = in;
      this.limits = limits;
    }

    Rpc rpc() throws IOException, MalformedRpcException {
      List<Rpc.Subscription> subs = new ArrayList<>();
      List<PubsubMessage> msgs = new ArrayList<>();
      Rpc.Control control = Rpc.Control.EMPTY;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            count(++subscriptions, limits.maxSubscriptions(), "subscriptions");
            int old = enter(tag);
            subs.add(subscription());
            in.popLimit(old);
          }
          case 2 -> {
            count(++messages, limits.maxMessages(), "messages");
            int old = enter(tag);
            msgs.add(message());
            in.popLimit(old);
          }
          case 3 -> {
            int old = enter(tag);
            control = merge(control, control());
            in.popLimit(old);
          }
          default -> in.skipField(tag);
        }
      }
      return new Rpc(subs, msgs, control);
    }

    private Rpc.Subscription subscription() throws IOException, MalformedRpcException {
      boolean subscribe = false;
      String topic = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, VARINT);
            subscribe = in.readBool();
          }
          case 2 -> topic = topic(tag);
          default -> in.skipField(tag);
        }
      }
      if (topic == null) throw new MalformedRpcException("subscription without topic");
      return new Rpc.Subscription(subscribe, topic);
    }

    private PubsubMessage message() throws IOException, MalformedRpcException {
      byte[] from = null, data = null, seqno = null, signature = null, key = null;
      String topic = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> from = bytes(tag, limits.maxFieldBytes(), "from");
          case 2 -> data = bytes(tag, limits.maxDataBytes(), "data");
          case 3 -> seqno = bytes(tag, limits.maxFieldBytes(), "seqno");
          case 4 -> topic = topic(tag);
          case 5 -> signature = bytes(tag, limits.maxFieldBytes(), "signature");
          case 6 -> key = bytes(tag, limits.maxFieldBytes(), "key");
          default -> in.skipField(tag);
        }
      }
      if (topic == null) throw new MalformedRpcException("message without topic");
      return new PubsubMessage(from, data, seqno, topic, signature, key);
    }

    private Rpc.Control control() throws IOException, MalformedRpcException {
      List<Rpc.IHave> ihave = new ArrayList<>();
      List<Rpc.IWant> iwant = new ArrayList<>();
      List<Rpc.Graft> graft = new ArrayList<>();
      List<Rpc.Prune> prune = new ArrayList<>();
      List<Rpc.IDontWant> idontwant = new ArrayList<>();
      int tag;
      while ((tag = in.readTag()) != 0) {
        int field = WireFormat.getTagFieldNumber(tag);
        if (field < 1 || field > 5) {
          in.skipField(tag);
          continue;
        }
        int old = enter(tag);
        switch (field) {
          case 1 -> {
            count(++ihaveEntries, limits.maxControlEntries(), "IHAVE entries");
            ihave.add(ihave());
          }
          case 2 -> {
            count(++iwantEntries, limits.maxControlEntries(), "IWANT entries");
            iwant.add(new Rpc.IWant(ids(Kind.IWANT)));
          }
          case 3 -> {
            count(++graftEntries, limits.maxControlEntries(), "GRAFT entries");
            graft.add(new Rpc.Graft(topicOnly("GRAFT")));
          }
          case 4 -> {
            count(++pruneEntries, limits.maxControlEntries(), "PRUNE entries");
            prune.add(prune());
          }
          default -> {
            count(++idontwantEntries, limits.maxControlEntries(), "IDONTWANT entries");
            idontwant.add(new Rpc.IDontWant(ids(Kind.IDONTWANT)));
          }
        }
        in.popLimit(old);
      }
      return new Rpc.Control(ihave, iwant, graft, prune, idontwant);
    }

    private Rpc.IHave ihave() throws IOException, MalformedRpcException {
      String topic = null;
      List<MessageId> ids = new ArrayList<>();
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> topic = topic(tag);
          case 2 -> {
            count(++ihaveIds, limits.maxIHaveIds(), "IHAVE message ids");
            ids.add(MessageId.wrap(bytes(tag, limits.maxMessageIdBytes(), "message id")));
          }
          default -> in.skipField(tag);
        }
      }
      if (topic == null) throw new MalformedRpcException("IHAVE without topic");
      return new Rpc.IHave(topic, ids);
    }

    private enum Kind { IWANT, IDONTWANT }

    private List<MessageId> ids(Kind kind) throws IOException, MalformedRpcException {
      List<MessageId> ids = new ArrayList<>();
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) != 1) {
          in.skipField(tag);
          continue;
        }
        if (kind == Kind.IWANT) {
          count(++iwantIds, limits.maxIWantIds(), "IWANT message ids");
        } else {
          count(++idontwantIds, limits.maxIDontWantIds(), "IDONTWANT message ids");
        }
        ids.add(MessageId.wrap(bytes(tag, limits.maxMessageIdBytes(), "message id")));
      }
      return ids;
    }

    private String topicOnly(String what) throws IOException, MalformedRpcException {
      String topic = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          topic = topic(tag);
        } else {
          in.skipField(tag);
        }
      }
      if (topic == null) throw new MalformedRpcException(what + " without topic");
      return topic;
    }

    private Rpc.Prune prune() throws IOException, MalformedRpcException {
      String topic = null;
      List<Rpc.PeerInfo> peers = new ArrayList<>();
      Long backoff = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> topic = topic(tag);
          case 2 -> {
            count(peers.size() + 1, limits.maxPrunePeers(), "PRUNE peers");
            int old = enter(tag);
            peers.add(peerInfo());
            in.popLimit(old);
          }
          case 3 -> {
            expect(tag, VARINT);
            backoff = in.readUInt64();
          }
          default -> in.skipField(tag);
        }
      }
      if (topic == null) throw new MalformedRpcException("PRUNE without topic");
      return new Rpc.Prune(topic, peers, backoff);
    }

    private Rpc.PeerInfo peerInfo() throws IOException, MalformedRpcException {
      byte[] id = null, record = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> id = bytes(tag, limits.maxFieldBytes(), "PX peer id");
          case 2 -> record = bytes(tag, limits.maxFieldBytes(), "signed peer record");
          default -> in.skipField(tag);
        }
      }
      return new Rpc.PeerInfo(id, record);
    }

    /** Reads the length of an embedded message and limits the stream to it. */
    private int enter(int tag) throws IOException, MalformedRpcException {
      expect(tag, LEN);
      int len = in.readRawVarint32();
      if (len < 0) throw new MalformedRpcException("negative length");
      return in.pushLimit(len);
    }

    private byte[] bytes(int tag, int max, String what) throws IOException, MalformedRpcException {
      expect(tag, LEN);
      int len = in.readRawVarint32();
      if (len < 0 || len > max) throw new MalformedRpcException(what + " of " + Integer.toUnsignedString(len) + " bytes exceeds " + max);
      return in.readRawBytes(len);
    }

    private String topic(int tag) throws IOException, MalformedRpcException {
      return new String(bytes(tag, limits.maxTopicBytes(), "topic"), StandardCharsets.UTF_8);
    }

    private static void expect(int tag, int wireType) throws MalformedRpcException {
      if (WireFormat.getTagWireType(tag) != wireType) {
        throw new MalformedRpcException("field " + WireFormat.getTagFieldNumber(tag) + " has wire type " + WireFormat.getTagWireType(tag));
      }
    }

    private static void count(int n, int max, String what) throws MalformedRpcException {
      if (n > max) throw new MalformedRpcException("more than " + max + " " + what);
    }

    private static Rpc.Control merge(Rpc.Control a, Rpc.Control b) {
      if (a.isEmpty()) return b;
      return new Rpc.Control(concat(a.ihave(), b.ihave()), concat(a.iwant(), b.iwant()), concat(a.graft(), b.graft()),
          concat(a.prune(), b.prune()), concat(a.idontwant(), b.idontwant()));
    }

    private static <T> List<T> concat(List<T> x, List<T> y) {
      List<T> r = new ArrayList<>(x);
      r.addAll(y);
      return r;
    }
  }
}
