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
 * 1 digest: {@code blob(root) varint(n) n × (blob(writer) varint(prefix) ranges blob(hash))} (see {@link #writeRanges});
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
          w.blob(e.writer().bytes()).varint(e.contiguous());
          writeRanges(w, e.contiguous(), e.extras());
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
          List<Long> extras = readRanges(r, prefix, config.maxExtrasPerWriter());
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

  /**
   * Seqs beyond the prefix as ranges: {@code varint(k)}, then per range {@code varint(gap)
   * varint(length - 1)}, where gap ≥ 2 is the distance from the previous range's end (or the
   * prefix) to its start (gap 1 would be adjacent: the ranges are maximal, so the form is canonical).
   */
  static void writeRanges(CanonicalWriter w, long prefix, List<Long> seqs) {
    List<long[]> ranges = new ArrayList<>();
    for (long s : seqs) {
      long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && last[1] + 1 == s) last[1] = s;
      else ranges.add(new long[] {s, s});
    }
    w.varint(ranges.size());
    long end = prefix;
    for (long[] rg : ranges) {
      w.varint(rg[0] - end).varint(rg[1] - rg[0]);
      end = rg[1];
    }
  }

  static List<Long> readRanges(CanonicalReader r, long prefix, int maxSeqs) throws MalformedEncodingException {
    int k = r.count(maxSeqs, "ranges");
    List<Long> out = new ArrayList<>();
    long end = prefix;
    for (int i = 0; i < k; i++) {
      long gap = r.varint();
      long len = r.varint();
      if (gap < 2) throw new MalformedEncodingException("range not separated from the previous one");
      if (len >= maxSeqs - out.size()) throw new MalformedEncodingException("more than " + maxSeqs + " seqs beyond the prefix");
      if (gap > Long.MAX_VALUE - len || end > Long.MAX_VALUE - gap - len) throw new MalformedEncodingException("range overflows");
      long start = end + gap;
      for (long s = start; s <= start + len; s++) out.add(s);
      end = start + len;
    }
    return List.copyOf(out);
  }

  private static PeerId peer(CanonicalReader r) throws MalformedEncodingException {
    try {
      return PeerId.fromBytes(r.blob(64));
    } catch (IllegalArgumentException e) {
      throw new MalformedEncodingException("not a peer id");
    }
  }
}
