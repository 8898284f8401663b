package dev.weft.p2p.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.crypto.PubKey;
import dev.weft.p2p.noise.pb.NoiseExtensions;
import dev.weft.p2p.noise.pb.NoiseHandshakePayload;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The Noise XX handshake with the libp2p payload (noise/README.md), as a state machine without I/O:
 * {@link #writeMessage} produces the next message to send, {@link #readMessage} consumes one
 * received, both without the 2-byte length prefix.
 *
 * <pre>
 *   initiator: write(-> e) ; read(<- e, ee, s, es, payload) ; write(-> s, se, payload) ; DONE
 *   responder: read(-> e)  ; write(<- e, ee, s, es, payload) ; read(-> s, se, payload) ; DONE
 * </pre>
 *
 * The responder's payload (message 2) and the initiator's (message 3) carry the identity key, the
 * signature of {@code "noise-libp2p-static-key:" || static public key}, and our stream muxers. A
 * remote whose signature fails, or whose PeerId is not the expected one, fails the handshake.
 * Not thread-safe.
 */
public final class NoiseHandshake {
  public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
  /** The multistream-select id of noise-libp2p. */
  public static final String PROTOCOL_ID = "/noise";
  static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  /** Largest Noise message, the 2-byte length prefix's range (noise/README.md#wire-format). */
  public static final int MAX_MESSAGE_LENGTH = 65535;
  /** Stream muxer ids a peer may list in the handshake; more is abuse, not preference. */
  public static final int MAX_REMOTE_MUXERS = 16;

  private enum Step { WRITE_E, READ_E, WRITE_E_EE_S_ES, READ_E_EE_S_ES, WRITE_S_SE, READ_S_SE, DONE }

  private final boolean initiator;
  private final PrivKey identity;
  private final X25519KeyPair staticKey;
  private final SecureRandom random;
  private final List<String> muxers;
  private final PeerId expectedRemote;
  private final Function<byte[], PubKey> keyDecoder;
  private final SymmetricState state = new SymmetricState(PROTOCOL_NAME);
  private X25519KeyPair ephemeral;
  private byte[] remoteEphemeral;
  private byte[] remoteStatic;
  private Step step;
  private NoiseSession session;

  /**
   * @param staticKey our Noise static key (may be shared by all handshakes of a transport)
   * @param muxers the stream muxers we offer in the {@code stream_muxers} extension (may be empty)
   * @param expectedRemote the peer the remote must prove to be, or null to accept any
   * @param keyDecoder parses a libp2p {@code PublicKey} protobuf; throws on bad input
   */
  public NoiseHandshake(boolean initiator, PrivKey identity, X25519KeyPair staticKey, SecureRandom random,
      List<String> muxers, PeerId expectedRemote, Function<byte[], PubKey> keyDecoder) {
    this.initiator = initiator;
    this.identity = identity;
    this.staticKey = staticKey;
    this.random = random;
    this.muxers = List.copyOf(muxers);
    this.expectedRemote = expectedRemote;
    this.keyDecoder = keyDecoder;
    this.step = initiator ? Step.WRITE_E : Step.READ_E;
    state.mixHash(new byte[0]); // empty prologue
  }

  public boolean isInitiator() {
    return initiator;
  }

  /** Whether it is our turn to send. */
  public boolean isMyTurn() {
    return step == Step.WRITE_E || step == Step.WRITE_E_EE_S_ES || step == Step.WRITE_S_SE;
  }

  public boolean isComplete() {
    return step == Step.DONE;
  }

  /** The session once {@link #isComplete()}; null before. */
  public NoiseSession session() {
    return session;
  }

  /** For tests: the handshake hash h. */
  byte[] handshakeHash() {
    return state.handshakeHash();
  }

  /** Produces our next message. */
  public byte[] writeMessage() throws NoiseException {
    return switch (step) {
      case WRITE_E -> {
        ephemeral = X25519KeyPair.generate(random);
        byte[] e = ephemeral.publicKey();
        state.mixHash(e);
        byte[] payload = state.encryptAndHash(new byte[0]);
        step = Step.READ_E_EE_S_ES;
        yield concat(e, payload);
      }
      case WRITE_E_EE_S_ES -> {
        ephemeral = X25519KeyPair.generate(random);
        byte[] e = ephemeral.publicKey();
        state.mixHash(e);
        state.mixKey(ephemeral.dh(remoteEphemeral));
        byte[] s = state.encryptAndHash(staticKey.publicKey());
        state.mixKey(staticKey.dh(remoteEphemeral));
        byte[] payload = state.encryptAndHash(ourPayload());
        step = Step.READ_S_SE;
        yield concat(e, s, payload);
      }
      case WRITE_S_SE -> {
        byte[] s = state.encryptAndHash(staticKey.publicKey());
        state.mixKey(staticKey.dh(remoteEphemeral));
        byte[] payload = state.encryptAndHash(ourPayload());
        finish();
        yield concat(s, payload);
      }
      default -> throw new IllegalStateException("not our turn to write: " + step);
    };
  }

  /** Consumes the remote's next message; fails on any malformed or unauthenticated content. */
  public void readMessage(byte[] message) throws NoiseException {
    if (message.length > MAX_MESSAGE_LENGTH) throw new NoiseException("handshake message too long");
    switch (step) {
      case READ_E -> {
        if (message.length < X25519KeyPair.KEY_LENGTH) throw new NoiseException("message 1 shorter than an ephemeral key");
        remoteEphemeral = Arrays.copyOf(message, X25519KeyPair.KEY_LENGTH);
        state.mixHash(remoteEphemeral);
        // The initiator's first payload is unauthenticated and unused; it is hashed and dropped.
        state.decryptAndHash(Arrays.copyOfRange(message, X25519KeyPair.KEY_LENGTH, message.length));
        step = Step.WRITE_E_EE_S_ES;
      }
      case READ_E_EE_S_ES -> {
        int sLen = X25519KeyPair.KEY_LENGTH + CipherState.TAG_LENGTH;
        if (message.length < X25519KeyPair.KEY_LENGTH + sLen + CipherState.TAG_LENGTH) throw new NoiseException("message 2 too short");
        remoteEphemeral = Arrays.copyOf(message, X25519KeyPair.KEY_LENGTH);
        state.mixHash(remoteEphemeral);
        state.mixKey(ephemeral.dh(remoteEphemeral));
        remoteStatic = state.decryptAndHash(Arrays.copyOfRange(message, X25519KeyPair.KEY_LENGTH, X25519KeyPair.KEY_LENGTH + sLen));
        state.mixKey(ephemeral.dh(remoteStatic));
        byte[] payload = state.decryptAndHash(Arrays.copyOfRange(message, X25519KeyPair.KEY_LENGTH + sLen, message.length));
        verifyPayload(payload);
        step = Step.WRITE_S_SE;
      }
      case READ_S_SE -> {
        int sLen = X25519KeyPair.KEY_LENGTH + CipherState.TAG_LENGTH;
        if (message.length < sLen + CipherState.TAG_LENGTH) throw new NoiseException("message 3 too short");
        remoteStatic = state.decryptAndHash(Arrays.copyOf(message, sLen));
        state.mixKey(ephemeral.dh(remoteStatic));
        byte[] payload = state.decryptAndHash(Arrays.copyOfRange(message, sLen, message.length));
        verifyPayload(payload);
        finish();
      }
      default -> throw new IllegalStateException("not our turn to read: " + step);
    }
  }

  private PubKey remoteKey;
  private List<String> remoteMuxers = List.of();

  private byte[] ourPayload() {
    byte[] toSign = concat(SIGNATURE_PREFIX, staticKey.publicKey());
    NoiseHandshakePayload.Builder b = NoiseHandshakePayload.newBuilder()
        .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
        .setIdentitySig(ByteString.copyFrom(identity.sign(toSign)));
    if (!muxers.isEmpty()) b.setExtensions(NoiseExtensions.newBuilder().addAllStreamMuxers(muxers));
    return b.build().toByteArray();
  }

  private void verifyPayload(byte[] bytes) throws NoiseException {
    NoiseHandshakePayload payload = parsePayload(bytes);
    if (!payload.hasIdentityKey() || !payload.hasIdentitySig()) throw new NoiseException("handshake payload lacks identity key or signature");
    PubKey key;
    try {
      key = keyDecoder.apply(payload.getIdentityKey().toByteArray());
    } catch (RuntimeException e) {
      throw new NoiseException("remote identity key invalid: " + e.getMessage());
    }
    if (!key.verify(concat(SIGNATURE_PREFIX, remoteStatic), payload.getIdentitySig().toByteArray())) {
      throw new NoiseException("remote static key signature invalid");
    }
    PeerId remote = PeerId.fromPublicKey(key);
    if (expectedRemote != null && !expectedRemote.equals(remote)) {
      throw new NoiseException("remote is " + remote + ", expected " + expectedRemote);
    }
    if (payload.hasExtensions()) {
      List<String> offered = payload.getExtensions().getStreamMuxersList();
      if (offered.size() > MAX_REMOTE_MUXERS) throw new NoiseException("remote offered " + offered.size() + " muxers");
      remoteMuxers = List.copyOf(offered);
    }
    remoteKey = key;
  }

  /**
   * Parses a handshake payload protobuf; unknown fields are tolerated (forward compatibility) but
   * the whole message is bounded by the Noise message size.
   */
  public static NoiseHandshakePayload parsePayload(byte[] bytes) throws NoiseException {
    try {
      return NoiseHandshakePayload.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseException("malformed handshake payload: " + e.getMessage());
    }
  }

  private void finish() {
    CipherState[] ciphers = state.split();
    PeerId remote = PeerId.fromPublicKey(remoteKey);
    session = initiator
        ? new NoiseSession(remote, remoteKey, remoteMuxers, ciphers[0], ciphers[1])
        : new NoiseSession(remote, remoteKey, remoteMuxers, ciphers[1], ciphers[0]);
    step = Step.DONE;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }
}
