package dev.weft.crdt.replica;

import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.CrdtCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digest of a whole state: a two-level hash tree, SHA-256 of each key's canonical value, then
 * SHA-256 over (key, value hash) in key order. Value hashes are kept per key and the root is
 * recomputed only when asked after a change, so frequent writes stay cheap.
 */
public final class StateRoot {
  private final TreeMap<String, byte[]> leaves = new TreeMap<>();
  private byte[] root;

  /** The root of a whole state at once (what {@link Replica#stateRoot} gives for that state). */
  public static byte[] of(Map<String, Crdt> state) {
    StateRoot r = new StateRoot();
    for (Map.Entry<String, Crdt> e : state.entrySet()) r.put(e.getKey(), e.getValue());
    return r.root();
  }

  void put(String key, Crdt value) {
    leaves.put(key, sha256(CrdtCodec.encode(value)));
    root = null;
  }

  void clear() {
    leaves.clear();
    root = null;
  }

  byte[] root() {
    if (root == null) {
      MessageDigest md = md();
      for (Map.Entry<String, byte[]> e : leaves.entrySet()) {
        byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
        md.update((byte) (k.length >>> 8));
        md.update((byte) k.length);
        md.update(k);
        md.update(e.getValue());
      }
      root = md.digest();
    }
    return root.clone();
  }

  private static MessageDigest md() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] sha256(byte[] b) {
    return md().digest(b);
  }
}
