package dev.weft.node.round.msg;

import dev.weft.p2p.crypto.Ed25519PrivKey;
import dev.weft.p2p.crypto.Ed25519PubKey;

/** The production scheme: the round key is the peer's Ed25519 identity key (libp2p PeerId key). */
public final class Ed25519RoundKeys {
  private Ed25519RoundKeys() {}

  public static RoundSigner signer(Ed25519PrivKey key) {
    PeerKey pk = new PeerKey(key.publicKey().raw());
    return new RoundSigner() {
      @Override
      public PeerKey key() {
        return pk;
      }

      @Override
      public byte[] sign(byte[] data) {
        return key.sign(data);
      }
    };
  }

  /** Verifies Ed25519 signatures; a key that is not a curve point verifies nothing. */
  public static SignatureVerifier verifier() {
    return (signer, data, signature) -> {
      try {
        return new Ed25519PubKey(signer.bytes()).verify(data, signature);
      } catch (IllegalArgumentException e) {
        return false;
      }
    };
  }
}
