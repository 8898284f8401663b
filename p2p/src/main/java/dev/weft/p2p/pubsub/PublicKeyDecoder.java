package dev.weft.p2p.pubsub;

import dev.weft.p2p.crypto.PubKey;

/**
 * Turns a marshalled libp2p {@code PublicKey} protobuf into a key that can verify signatures.
 * Must throw {@link IllegalArgumentException} (never anything else) for bytes it cannot decode.
 */
@FunctionalInterface
public interface PublicKeyDecoder {
  PubKey decode(byte[] marshalledPublicKey);
}
