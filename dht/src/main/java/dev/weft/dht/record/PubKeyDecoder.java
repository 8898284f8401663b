package dev.weft.dht.record;

import dev.weft.p2p.crypto.PubKey;

/**
 * Turns a marshalled libp2p PublicKey protobuf into a key that can verify signatures (p2p's key
 * factory in production). Thread-safe.
 */
@FunctionalInterface
public interface PubKeyDecoder {
  /** @throws IllegalArgumentException if the bytes are not a supported public key */
  PubKey decode(byte[] marshalled);
}
