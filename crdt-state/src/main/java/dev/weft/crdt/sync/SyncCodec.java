package dev.weft.crdt.sync;

import dev.weft.crdt.codec.CanonicalReader;
import dev.weft.crdt.codec.CanonicalWriter;
import dev.weft.crdt.codec.DecodeLimits;
import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.replica.ReplicaDigest;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes sync frames (the payload inside each uvarint length prefix): a type byte, then
 * 1 digest: {@code blob(root) varint(n) n × (blob(writer) varint(prefix) varint(k) k × varint(seq) blob(hash))};
 * 2 deltas: {@code varint(n) n × blob(delta)}; 3 cover: {@code varint(n) n × (blob(writer) varint(seq))}; 4 done.
 * Decoding checks every count against {@link SyncConfig} and the frame's own length.
 */
public final class SyncCodec {
  private SyncCodec() {}

  static final int DIGEST = 1;
  static final int DELTAS = 2;
  static final int COVER = 3;
  static final int DONE = 4;

  public static byte[] encode(SyncMessage m) {
    CanonicalWriter w = new CanonicalWriter();
    switch (m) {
      case SyncMessage.Digest d -> {
        w.u8(DIGEST).blob(d.digest().stateRoot()).varint(d.digest().writers().size());
        for (ReplicaDigest.Writer e : d.digest().writers()) {
          w.blob(e.writer().bytes()).varint(e.contiguous()).varint(e.extras().size());
          for (long s : e.extras()) w.varint(s);
          w.blob(e.logHash());
        }
      }
      case SyncMessage.Deltas d -> {
        w.u8(DELTAS).varint(d.deltas().size());
        for (byte[] b : d.deltas()) w.blob(b);
      }
      case SyncMessage.Cover c -> {
        w.u8(COVER).varint(c.claims().size());
        for (Map.Entry<PeerId, Long> e : c.claims().entrySet()) w.blob(e.getKey().bytes()).varint(e.getValue());
      }
      case SyncMessage.Done d -> w.u8(DONE);
    }
    return w.toByteArray();
  }

  public static SyncMessage decode(byte[] frame, SyncConfig config) throws MalformedEncodingException {
    CanonicalReader r = new CanonicalReader(frame, new DecodeLimits(Math.max(config.maxWriters(), 1 << 16), 64, config.maxFrameBytes(), 1));
    int type = r.u8();
    SyncMessage m = switch (type) {
      case DIGEST -> {
        byte[] root = r.blob(64);
        int n = r.entries("digest writers");
        if (n > config.maxWriters()) throw new MalformedEncodingException("digest of " + n + " writers");
        List<ReplicaDigest.Writer> ws = new ArrayList<>(n);
        PeerId prev = null;
        for (int i = 0; i < n; i++) {
          PeerId p = peer(r);
          if (prev != null && prev.compareTo(p) >= 0) throw new MalformedEncodingException("digest writers not ascending");
          prev = p;
          long prefix = r.varint();
          int k = r.count(config.maxExtrasPerWriter(), "extras");
          List<Long> extras = new ArrayList<>(Math.min(k, 64));
          long last = prefix;
          for (int j = 0; j < k; j++) {
            long s = r.varint();
            if (s <= last) throw new MalformedEncodingException("extras not ascending beyond the prefix");
            extras.add(s);
            last = s;
          }
          ws.add(new ReplicaDigest.Writer(p, prefix, List.copyOf(extras), r.blob(64)));
        }
        yield new SyncMessage.Digest(new ReplicaDigest(root, List.copyOf(ws)));
      }
      case DELTAS -> {
        int n = r.entries("deltas");
        List<byte[]> ds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ds.add(r.blob(config.maxFrameBytes()));
        yield new SyncMessage.Deltas(ds);
      }
      case COVER -> {
        int n = r.entries("claims");
        Map<PeerId, Long> claims = new TreeMap<>();
        PeerId prev = null;
        for (int i = 0; i < n; i++) {
          PeerId p = peer(r);
          if (prev != null && prev.compareTo(p) >= 0) throw new MalformedEncodingException("claims not in ascending writer order");
          prev = p;
          claims.put(p, r.varint());
        }
        yield new SyncMessage.Cover(claims);
      }
      case DONE -> new SyncMessage.Done();
      default -> throw new MalformedEncodingException("unknown sync frame type " + type);
    };
    r.expectEnd();
    return m;
  }

  private static PeerId peer(CanonicalReader r) throws MalformedEncodingException {
    try {
      return PeerId.fromBytes(r.blob(64));
    } catch (IllegalArgumentException e) {
      throw new MalformedEncodingException("not a peer id");
    }
  }
}
