package dev.weft.p2p.api;

import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PubKey;
import dev.weft.p2p.multiformats.Base58;
import dev.weft.p2p.multiformats.Cid;
import dev.weft.p2p.multiformats.Multihash;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer id (peer-ids.md): the multihash of the peer's marshalled public key, identity for
 * keys of at most 42 bytes (Ed25519, secp256k1), sha2-256 otherwise. Text form is base58btc; the
 * CIDv1 form ({@code bafz...}, codec libp2p-key) is accepted by {@link #parse}. Ordered by its
 * bytes, so sorting by PeerId is the same on every machine. Immutable and thread-safe.
 */
public final class PeerId implements Comparable<PeerId> {
  /** Keys whose protobuf is at most this long are inlined with the identity hash (peer-ids.md). */
  public static final int MAX_INLINE_KEY_LENGTH = 42;

  private final byte[] bytes;
  private final int hash;

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  public static PeerId fromPublicKey(PubKey key) {
    byte[] marshalled = key.marshal();
    Multihash mh = marshalled.length <= MAX_INLINE_KEY_LENGTH ? Multihash.identity(marshalled) : Multihash.sha256(marshalled);
    return new PeerId(mh.bytes());
  }

  /** Parses the multihash bytes of a peer id; only identity and sha2-256 multihashes are peer ids. */
  public static PeerId fromBytes(byte[] bytes) {
    Multihash mh = Multihash.decode(bytes);
    if (mh.code() != Multihash.IDENTITY && mh.code() != Multihash.SHA2_256) {
      throw new IllegalArgumentException("peer id multihash must be identity or sha2-256, not 0x" + Integer.toHexString(mh.code()));
    }
    if (mh.code() == Multihash.IDENTITY && mh.digest().length > MAX_INLINE_KEY_LENGTH) {
      throw new IllegalArgumentException("identity peer id longer than " + MAX_INLINE_KEY_LENGTH + " bytes");
    }
    return new PeerId(bytes.clone());
  }

  /** Parses the base58btc text form ({@code 12D3KooW...}, {@code Qm...}). */
  public static PeerId fromBase58(String text) {
    return fromBytes(Base58.decode(text));
  }

  /**
   * Parses either text form (peer-ids.md, "Decoding"): base58btc multihash ({@code 1...},
   * {@code Qm...}) or a multibase CIDv1 with the libp2p-key codec ({@code bafz...}).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static PeerId parse(String text) {
    if (text.startsWith("1") || text.startsWith("Qm")) return fromBase58(text);
    Cid cid;
    try {
      cid = Cid.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a peer id (neither base58 multihash nor CID): " + e.getMessage(), e);
    }
    if (cid.version() != 1 || cid.codec() != Cid.LIBP2P_KEY) {
      throw new IllegalArgumentException("CID is not a peer id: codec 0x" + Long.toHexString(cid.codec()) + " is not libp2p-key (0x72)");
    }
    return fromBytes(cid.multihash().bytes());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String toBase58() {
    return Base58.encode(bytes);
  }

  /** The CIDv1 form (codec libp2p-key); its {@code toString()} is the {@code bafz...} text. */
  public Cid toCid() {
    return Cid.of(Cid.LIBP2P_KEY, Multihash.decode(bytes));
  }

  /** The public key when it is inlined (identity multihash), else null. */
  public byte[] inlinedPublicKey() {
    Multihash mh = Multihash.decode(bytes);
    return mh.code() == Multihash.IDENTITY ? mh.digest() : null;
  }

  /**
   * The public key when it is inlined (Ed25519, secp256k1); empty for hashed ids (RSA, ECDSA),
   * whose key must come from the peer itself.
   *
   * @throws IllegalArgumentException if the inlined bytes are not a valid public key
   */
  public Optional<PubKey> publicKey() {
    byte[] inlined = inlinedPublicKey();
    return inlined == null ? Optional.empty() : Optional.of(Keys.unmarshalPublicKey(inlined));
  }

  /** Whether this is the peer id of {@code key}. */
  public boolean matches(PubKey key) {
    return equals(fromPublicKey(key));
  }

  @Override public int compareTo(PeerId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override public boolean equals(Object o) {
    return o instanceof PeerId p && Arrays.equals(p.bytes, bytes);
  }

  @Override public int hashCode() {
    return hash;
  }

  @Override public String toString() {
    return toBase58();
  }
}
