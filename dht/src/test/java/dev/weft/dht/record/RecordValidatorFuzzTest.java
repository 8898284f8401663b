package dev.weft.dht.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.pb.WeftRecordProto;
import dev.weft.p2p.api.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary keys and values only ever get a valid / {@link InvalidRecordException} answer from the
 * validators, never another exception; and whatever they accept is independently consistent: a
 * {@code /pk/} value hashes to the PeerId in its key, a {@code /weft/run/} value is signed by the
 * key named in its key's author segment and has not expired; the selector answers in range.
 *
 * <p>Input: {@code u16 keyLength ‖ key ‖ u16 valueLength ‖ value ‖ other value}. The seed corpus
 * ({@code RecordValidatorFuzzTestInputs/}) holds records captured from simulation frames (see
 * docs/dht.md) and a {@code /pk/} record of the same author, valid and with a wrong PeerId.
 */
class RecordValidatorFuzzTest {
  static final ValidatorRegistry REGISTRY = ValidatorRegistry.standard(TestEd25519::decode);
  static final long NOW = 1_767_225_600_000L;

  record Input(byte[] key, byte[] a, byte[] b) {
    static Input parse(byte[] data) {
      ByteBuffer in = ByteBuffer.wrap(data);
      byte[] key = take(in, in.remaining() >= 2 ? in.getShort() & 0xFFFF : 0);
      byte[] a = take(in, in.remaining() >= 2 ? in.getShort() & 0xFFFF : 0);
      byte[] b = take(in, in.remaining());
      return new Input(key, a, b);
    }

    private static byte[] take(ByteBuffer in, int n) {
      byte[] out = new byte[Math.min(n, in.remaining())];
      in.get(out);
      return out;
    }
  }

  @FuzzTest(maxDuration = "10s")
  void validatorsNeverThrowAnythingElse(byte[] data) {
    Input in = Input.parse(data);
    boolean valid;
    try {
      REGISTRY.validate(in.key(), in.a(), NOW);
      valid = true;
    } catch (InvalidRecordException expected) {
      valid = false;
    }
    if (valid) checkAccepted(in.key(), in.a());
    int i = REGISTRY.select(in.key(), List.of(in.a(), in.b()));
    if (i < 0 || i > 1) throw new AssertionError("select out of range: " + i);
    REGISTRY.expiresAt(in.key(), in.a());
  }

  /** Re-derives, without the validators, what an accepted value must satisfy. */
  static void checkAccepted(byte[] key, byte[] value) {
    if (Keys.hasPrefix(key, Keys.PK_PREFIX)) {
      PeerId named = PeerId.fromBytes(Arrays.copyOfRange(key, Keys.PK_PREFIX.length(), key.length));
      if (!Keys.peerIdOfMarshalledKey(value).equals(named)) throw new AssertionError("accepted a /pk/ value of another peer: " + named);
    } else if (Keys.hasPrefix(key, Keys.WEFT_RUN_PREFIX)) {
      String rest = new String(key, Keys.WEFT_RUN_PREFIX.length(), key.length - Keys.WEFT_RUN_PREFIX.length(), StandardCharsets.UTF_8);
      String author = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
      WeftRecordProto.SignedValue sv;
      try {
        sv = WeftRecordProto.SignedValue.parseFrom(value);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError("accepted an undecodable /weft/run/ value", e);
      }
      if (!Keys.peerIdOfMarshalledKey(sv.getPublicKey().toByteArray()).toBase58().equals(author)) {
        throw new AssertionError("accepted a /weft/run/ value signed by someone else than " + author);
      }
      if (sv.getExpiresAtMillis() <= NOW) throw new AssertionError("accepted an expired value");
      if (REGISTRY.expiresAt(key, value) <= NOW) throw new AssertionError("accepted a value it says has expired");
    } else {
      throw new AssertionError("accepted a value in an unknown namespace");
    }
  }

  static byte[] seed(String name) throws IOException {
    try (InputStream s = RecordValidatorFuzzTest.class.getResourceAsStream("RecordValidatorFuzzTestInputs/validatorsNeverThrowAnythingElse/" + name)) {
      return s.readAllBytes();
    }
  }

  @Test
  void theSeedCorpusHoldsWhatItsNamesSay() throws Exception {
    Input pk = Input.parse(seed("pk_valid"));
    REGISTRY.validate(pk.key(), pk.a(), NOW);
    Input wrong = Input.parse(seed("pk_wrong_peer"));
    assertThatThrownBy(() -> REGISTRY.validate(wrong.key(), wrong.a(), NOW)).isInstanceOf(InvalidRecordException.class);
    Input run = Input.parse(seed("weft_run_0"));
    REGISTRY.validate(run.key(), run.a(), NOW);
    byte[] tampered = run.a().clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> REGISTRY.validate(run.key(), tampered, NOW)).isInstanceOf(InvalidRecordException.class);
    assertThat(Keys.hasPrefix(run.key(), Keys.WEFT_RUN_PREFIX)).isTrue();
  }
}
