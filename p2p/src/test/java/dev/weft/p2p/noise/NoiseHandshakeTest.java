package dev.weft.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PrivKey;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoiseHandshakeTest {
  private final SecureRandom random = new SecureRandom();
  private final PrivKey alice = Ed25519.fromSeedNumber(1);
  private final PrivKey bob = Ed25519.fromSeedNumber(2);

  private NoiseHandshake initiator(PeerId expected, List<String> muxers) {
    return new NoiseHandshake(true, alice, X25519KeyPair.generate(random), random, muxers, expected, Keys::unmarshalPublicKey);
  }

  private NoiseHandshake responder(List<String> muxers) {
    return new NoiseHandshake(false, bob, X25519KeyPair.generate(random), random, muxers, null, Keys::unmarshalPublicKey);
  }

  static void run(NoiseHandshake i, NoiseHandshake r) throws NoiseException {
    r.readMessage(i.writeMessage());
    i.readMessage(r.writeMessage());
    r.readMessage(i.writeMessage());
  }

  @Test void xxHandshakeAuthenticatesBothSidesAndAgreesOnKeys() throws Exception {
    NoiseHandshake i = initiator(PeerId.fromPublicKey(bob.publicKey()), List.of("/yamux/1.0.0"));
    NoiseHandshake r = responder(List.of("/yamux/1.0.0", "/mplex/6.7.0"));
    run(i, r);
    assertThat(i.isComplete()).isTrue();
    assertThat(r.isComplete()).isTrue();
    assertThat(i.handshakeHash()).isEqualTo(r.handshakeHash());
    assertThat(i.session().remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
    assertThat(r.session().remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
    assertThat(i.session().remoteMuxers()).containsExactly("/yamux/1.0.0", "/mplex/6.7.0");
    assertThat(r.session().remoteMuxers()).containsExactly("/yamux/1.0.0");

    byte[] msg = "hello over noise".getBytes();
    assertThat(roundTrip(i.session().sender(), r.session().receiver(), msg)).isEqualTo(msg);
    assertThat(roundTrip(r.session().sender(), i.session().receiver(), msg)).isEqualTo(msg);
    assertThat(roundTrip(i.session().sender(), r.session().receiver(), new byte[0])).isEmpty();
  }

  @Test void noMuxerExtensionMeansEmptyList() throws Exception {
    NoiseHandshake i = initiator(null, List.of());
    NoiseHandshake r = responder(List.of());
    run(i, r);
    assertThat(i.session().remoteMuxers()).isEmpty();
  }

  @Test void wrongExpectedPeerFailsTheInitiator() throws Exception {
    NoiseHandshake i = initiator(PeerId.fromPublicKey(Ed25519.fromSeedNumber(3).publicKey()), List.of());
    NoiseHandshake r = responder(List.of());
    r.readMessage(i.writeMessage());
    byte[] m2 = r.writeMessage();
    assertThatThrownBy(() -> i.readMessage(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("expected");
  }

  @Test void tamperedHandshakeMessageFails() throws Exception {
    NoiseHandshake i = initiator(null, List.of());
    NoiseHandshake r = responder(List.of());
    r.readMessage(i.writeMessage());
    byte[] m2 = r.writeMessage();
    m2[m2.length - 1] ^= 1;
    assertThatThrownBy(() -> i.readMessage(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("authentication");
  }

  @Test void signatureOverADifferentStaticKeyFails() throws Exception {
    // A responder that signs some other static key than the one it uses: the payload verifies
    // structurally but the signature does not cover the static key the initiator saw.
    X25519KeyPair used = X25519KeyPair.generate(random);
    X25519KeyPair signed = X25519KeyPair.generate(random);
    PrivKey lyingBob = new PrivKey() {
      @Override public dev.weft.p2p.crypto.KeyType type() { return bob.type(); }
      @Override public dev.weft.p2p.crypto.PubKey publicKey() { return bob.publicKey(); }
      @Override public byte[] marshal() { return bob.marshal(); }
      @Override public byte[] sign(byte[] data) {
        byte[] other = data.clone();
        System.arraycopy(signed.publicKey(), 0, other, NoiseHandshake.SIGNATURE_PREFIX.length, 32);
        return bob.sign(other);
      }
    };
    NoiseHandshake i = initiator(null, List.of());
    NoiseHandshake r = new NoiseHandshake(false, lyingBob, used, random, List.of(), null, Keys::unmarshalPublicKey);
    r.readMessage(i.writeMessage());
    byte[] m2 = r.writeMessage();
    assertThatThrownBy(() -> i.readMessage(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("signature");
  }

  @Test void truncatedMessagesFail() throws Exception {
    NoiseHandshake r = responder(List.of());
    assertThatThrownBy(() -> r.readMessage(new byte[10])).isInstanceOf(NoiseException.class);
    NoiseHandshake i = initiator(null, List.of());
    i.writeMessage();
    assertThatThrownBy(() -> i.readMessage(new byte[50])).isInstanceOf(NoiseException.class);
  }

  @Test void lowOrderEphemeralIsRejected() throws Exception {
    NoiseHandshake i = initiator(null, List.of());
    NoiseHandshake r = responder(List.of());
    r.readMessage(new byte[32]); // the all-zero point
    assertThatThrownBy(r::writeMessage).isInstanceOf(NoiseException.class).hasMessageContaining("low-order");
    i.writeMessage();
  }

  static byte[] roundTrip(CipherState enc, CipherState dec, byte[] plain) throws NoiseException {
    byte[] buf = java.util.Arrays.copyOf(plain, plain.length + CipherState.TAG_LENGTH);
    enc.encryptInPlace(buf, 0, plain.length);
    byte[] out = new byte[plain.length];
    assertThat(dec.decrypt(buf, 0, buf.length, out, 0)).isEqualTo(plain.length);
    return out;
  }
}
