package dev.weft.dht.record;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Helpers for DHT record keys: namespaces, /pk/ keys, deriving a PeerId from a marshalled key. */
public final class Keys {
  public static final String PK_PREFIX = "/pk/";
  public static final String WEFT_RUN_PREFIX = "/weft/run/";

  private Keys() {}

  /** The PeerId of a marshalled libp2p PublicKey protobuf (peer-ids.md), without parsing the key. */
  public static PeerId peerIdOfMarshalledKey(byte[] marshalled) {
    Multihash mh = marshalled.length <= PeerId.MAX_INLINE_KEY_LENGTH ? Multihash.identity(marshalled) : Multihash.sha256(marshalled);
    return PeerId.fromBytes(mh.bytes());
  }

  /** {@code /pk/} followed by the binary PeerId, as go and js build it. */
  public static byte[] pkKey(PeerId peer) {
    return concat(PK_PREFIX.getBytes(StandardCharsets.US_ASCII), peer.bytes());
  }

  /** {@code /weft/run/<author base58>/<name>}. */
  public static byte[] runKey(PeerId author, String name) {
    return (WEFT_RUN_PREFIX + author.toBase58() + "/" + name).getBytes(StandardCharsets.UTF_8);
  }

  public static boolean hasPrefix(byte[] key, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    return key.length >= p.length && Arrays.equals(key, 0, p.length, p, 0, p.length);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
