package dev.weft.node.round.apply;

import dev.weft.node.round.msg.Digest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The state root: a binary Merkle tree (RFC 6962 style domain separation: 0x00 before a leaf,
 * 0x01 before an inner node; an odd last node is promoted) over fixed chunks of θ, then of the
 * momentum, then one leaf of counters. Fixed chunks make the same tree the checkpoint chunking
 * can verify piece by piece; leaves name their section and index so chunks cannot be swapped.
 */
public final class StateRoot {
  /** 16 KiB of float32 per leaf: the checkpoint chunk size. */
  public static final int CHUNK_FLOATS = 4096;

  private StateRoot() {}

  public static Digest of(ModelState s) {
    List<byte[]> level = new ArrayList<>();
    leaves(level, (byte) 1, s.theta());
    leaves(level, (byte) 2, s.momentum());
    ByteBuffer counters = ByteBuffer.allocate(1 + 1 + 8 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
    counters.put((byte) 0).put((byte) 3).putLong(s.rounds()).putLong(s.tokens()).putInt(s.dimension());
    level.add(hash(counters.array()));
    while (level.size() > 1) {
      List<byte[]> up = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        if (i + 1 == level.size()) {
          up.add(level.get(i));
        } else {
          MessageDigest md = Digest.sha256();
          md.update((byte) 1);
          md.update(level.get(i));
          md.update(level.get(i + 1));
          up.add(md.digest());
        }
      }
      level = up;
    }
    return new Digest(level.get(0));
  }

  private static void leaves(List<byte[]> out, byte section, float[] v) {
    for (int start = 0, idx = 0; start < v.length; start += CHUNK_FLOATS, idx++) {
      int len = Math.min(CHUNK_FLOATS, v.length - start);
      ByteBuffer b = ByteBuffer.allocate(2 + 4 + 4 * len).order(ByteOrder.LITTLE_ENDIAN);
      b.put((byte) 0).put(section).putInt(idx);
      for (int i = 0; i < len; i++) b.putInt(Float.floatToRawIntBits(v[start + i]));
      out.add(hash(b.array()));
    }
  }

  private static byte[] hash(byte[] b) {
    return Digest.sha256().digest(b);
  }
}
