package dev.weft.node.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a float vector's raw little-endian IEEE bits, in hex: equal hashes mean bit-identical
 * vectors. What reports compare across nodes and what a run spec pins its initial θ with (the
 * round protocol's own state root, a Merkle tree over θ, momentum and counters, is
 * {@link dev.weft.node.round.apply.StateRoot}).
 */
public final class ParameterHash {
  private ParameterHash() {}

  public static String hex(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) b.putInt(Float.floatToRawIntBits(f));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
