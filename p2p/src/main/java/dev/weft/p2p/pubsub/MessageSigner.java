package dev.weft.p2p.pubsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.crypto.PubKey;
import java.util.Arrays;

/**
 * StrictSign for pubsub messages (pubsub README, "Message Signing"): builds signed messages and
 * checks received ones. The author key is taken from the {@code key} field when present (it must
 * hash to {@code from}), otherwise from the key inlined in the {@code from} peer id.
 *
 * <p>Stateless apart from its keys; thread-safe.
 */
public final class MessageSigner {
  /** js and go publish 8-byte big-endian sequence numbers. */
  public static final int SEQNO_BYTES = 8;

  private final PublicKeyDecoder keyDecoder;

  public MessageSigner(PublicKeyDecoder keyDecoder) {
    this.keyDecoder = keyDecoder;
  }

  /** A signer that decodes every key type {@link Keys} supports (Ed25519, secp256k1, ECDSA, RSA). */
  public MessageSigner() {
    this(Keys::unmarshalPublicKey);
  }

  /** A signed message authored by {@code key}; the {@code key} field is set as js does. */
  public static PubsubMessage sign(PrivKey key, String topic, byte[] data, long seqno) {
    PubKey pub = key.publicKey();
    byte[] from = PeerId.fromPublicKey(pub).bytes();
    PubsubMessage unsigned = new PubsubMessage(from, data, seqnoBytes(seqno), topic, null, pub.marshal());
    return unsigned.withSignature(key.sign(RpcCodec.signedPayload(unsigned)));
  }

  public static byte[] seqnoBytes(long seqno) {
    byte[] b = new byte[SEQNO_BYTES];
    for (int i = SEQNO_BYTES - 1; i >= 0; i--) {
      b[i] = (byte) seqno;
      seqno >>>= 8;
    }
    return b;
  }

  /** The outcome of a signature check: null reason means valid. */
  public record Verdict(PeerId author, String reason) {
    public boolean valid() {
      return reason == null;
    }

    static Verdict invalid(String reason) {
      return new Verdict(null, reason);
    }
  }

  /** Checks a received message under {@code policy}; never throws. */
  public Verdict verify(PubsubMessage m, SignaturePolicy policy) {
    if (policy == SignaturePolicy.STRICT_NO_SIGN) {
      if (m.from() != null || m.seqno() != null || m.signature() != null || m.key() != null) {
        return Verdict.invalid("StrictNoSign message carries origin or signature fields");
      }
      return new Verdict(null, null);
    }
    if (m.from() == null) return Verdict.invalid("missing from");
    if (m.seqno() == null) return Verdict.invalid("missing seqno");
    if (m.signature() == null) return Verdict.invalid("missing signature");
    PeerId author;
    try {
      author = PeerId.fromBytes(m.from());
    } catch (IllegalArgumentException e) {
      return Verdict.invalid("from is not a peer id");
    }
    PubKey pub;
    try {
      if (m.key() != null) {
        pub = keyDecoder.decode(m.key());
        if (!PeerId.fromPublicKey(pub).equals(author)) return Verdict.invalid("key does not match from");
      } else {
        byte[] inlined = author.inlinedPublicKey();
        if (inlined == null) return Verdict.invalid("no key and from does not inline one");
        pub = keyDecoder.decode(inlined);
        if (!Arrays.equals(pub.marshal(), inlined)) return Verdict.invalid("inlined key is not canonical");
      }
    } catch (RuntimeException e) {
      // Decoders promise IllegalArgumentException, but hostile key bytes must never escape as anything else.
      return Verdict.invalid("undecodable key: " + e.getMessage());
    }
    boolean ok;
    try {
      ok = pub.verify(RpcCodec.signedPayload(m), m.signature());
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok) return Verdict.invalid("bad signature");
    return new Verdict(author, null);
  }
}
