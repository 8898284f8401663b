package dev.weft.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.api.PeerId;

/**
 * Keys and peer ids from untrusted bytes (a Noise handshake payload, an identify message, a key
 * file): only {@link IllegalArgumentException} may escape, accepted keys re-marshal to the same
 * bytes, and verification of arbitrary signatures answers false rather than throwing.
 */
class KeysFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void unmarshalPublicKey(byte[] data) {
    PubKey pub;
    try {
      pub = Keys.unmarshalPublicKey(data);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(pub.marshal()).isEqualTo(data);
    assertThat(pub.verify(data, data)).isFalse();
    assertThat(PeerId.fromPublicKey(pub).matches(pub)).isTrue();
  }

  /** Arbitrary signatures against the spec's valid keys of each type: false, never an exception. */
  @FuzzTest(maxDuration = "60s")
  void verifyArbitrarySignatures(FuzzedDataProvider data) {
    String[] keys = {SpecVectors.ED25519_PUBLIC, SpecVectors.SECP256K1_PUBLIC, SpecVectors.ECDSA_PUBLIC, SpecVectors.RSA_PUBLIC};
    PubKey pub = Keys.unmarshalPublicKey(java.util.HexFormat.of().parseHex(keys[data.consumeInt(0, keys.length - 1)]));
    byte[] sig = data.consumeBytes(data.consumeInt(0, 600));
    byte[] msg = data.consumeRemainingAsBytes();
    assertThat(pub.verify(msg, sig)).isFalse();
  }

  @FuzzTest(maxDuration = "60s")
  void unmarshalPrivateKey(byte[] data) {
    PrivKey priv;
    try {
      priv = Keys.unmarshalPrivateKey(data);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(priv.marshal()).isEqualTo(data);
    byte[] msg = {1, 2, 3};
    assertThat(priv.publicKey().verify(msg, priv.sign(msg))).isTrue();
  }

  @FuzzTest(maxDuration = "30s")
  void peerIdParse(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    PeerId id;
    try {
      id = PeerId.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
    assertThat(PeerId.parse(id.toCid().toString())).isEqualTo(id);
    try {
      id.publicKey();
    } catch (IllegalArgumentException inlinedGarbage) {
      // an identity id may inline bytes that are no key; that is reported, not thrown otherwise
    }
  }

  @FuzzTest(maxDuration = "30s")
  void peerIdFromBytes(byte[] data) {
    PeerId id;
    try {
      id = PeerId.fromBytes(data);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(id.bytes()).isEqualTo(data);
    assertThat(PeerId.fromBase58(id.toBase58())).isEqualTo(id);
  }
}
