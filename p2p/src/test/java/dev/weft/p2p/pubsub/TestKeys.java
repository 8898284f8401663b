package dev.weft.p2p.pubsub;

import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.crypto.PubKey;
import java.util.Random;

/** Deterministic Ed25519 identities for tests and simulations (the real keys, seeded). */
public final class TestKeys {
  private TestKeys() {}

  public static PrivKey generate(Random random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return Ed25519.fromSeed(seed);
  }

  public static PubKey decode(byte[] marshalled) {
    return Keys.unmarshalPublicKey(marshalled);
  }

  public static final PublicKeyDecoder DECODER = Keys::unmarshalPublicKey;
}
