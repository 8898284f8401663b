package dev.weft.dht.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.pb.WeftRecordProto;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValidatorTest {
  static final long NOW = 1_767_225_600_000L;
  final Random r = new Random(5);
  final PrivKey alice = TestEd25519.generate(r);
  final PrivKey mallory = TestEd25519.generate(r);
  final PeerId aliceId = PeerId.fromPublicKey(alice.publicKey());
  final ValidatorRegistry registry = ValidatorRegistry.standard(TestEd25519::decode);
  final byte[] key = Keys.runKey(aliceId, "mnist-1");
  final byte[] payload = "manifest".getBytes(StandardCharsets.UTF_8);

  @Test
  void publicKeyRecordMustMatchThePeerIdInTheKey() throws Exception {
    byte[] pk = alice.publicKey().marshal();
    registry.validate(Keys.pkKey(aliceId), pk, NOW);
    assertThatThrownBy(() -> registry.validate(Keys.pkKey(aliceId), mallory.publicKey().marshal(), NOW)).isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("does not match");
    assertThatThrownBy(() -> registry.validate(Keys.pkKey(aliceId), new byte[] {1, 2, 3}, NOW)).isInstanceOf(InvalidRecordException.class);
    assertThatThrownBy(() -> registry.validate("/pk/xyz".getBytes(StandardCharsets.US_ASCII), pk, NOW)).isInstanceOf(InvalidRecordException.class);
  }

  @Test
  void signedRecordByTheNamedAuthorIsValid() throws Exception {
    registry.validate(key, SignedRecords.sign(alice, key, payload, 1, NOW + 1000), NOW);
  }

  @Test
  void rejectsUnsignedBadlySignedWrongAuthorExpiredAndOversized() {
    byte[] good = SignedRecords.sign(alice, key, payload, 1, NOW + 1000);
    WeftRecordProto.SignedValue sv = parse(good);
    byte[] unsigned = sv.toBuilder().clearSignature().build().toByteArray();
    assertThatThrownBy(() -> registry.validate(key, unsigned, NOW)).hasMessageContaining("unsigned");
    byte[] sig = sv.getSignature().toByteArray();
    sig[0] ^= 1;
    byte[] badSig = sv.toBuilder().setSignature(ByteString.copyFrom(sig)).build().toByteArray();
    assertThatThrownBy(() -> registry.validate(key, badSig, NOW)).hasMessageContaining("bad signature");
    byte[] tampered = sv.toBuilder().setPayload(ByteString.copyFromUtf8("other")).build().toByteArray();
    assertThatThrownBy(() -> registry.validate(key, tampered, NOW)).hasMessageContaining("bad signature");
    byte[] byMallory = SignedRecords.sign(mallory, key, payload, 1, NOW + 1000);
    assertThatThrownBy(() -> registry.validate(key, byMallory, NOW)).hasMessageContaining("key names");
    byte[] expired = SignedRecords.sign(alice, key, payload, 1, NOW);
    assertThatThrownBy(() -> registry.validate(key, expired, NOW)).hasMessageContaining("expired");
    byte[] huge = SignedRecords.sign(alice, key, new byte[20_000], 1, NOW + 1000);
    assertThatThrownBy(() -> registry.validate(key, huge, NOW)).hasMessageContaining("exceeds");
    // a signature for another key of the same author does not transfer
    byte[] other = Keys.runKey(aliceId, "other-run");
    assertThatThrownBy(() -> registry.validate(other, good, NOW)).hasMessageContaining("bad signature");
    assertThatThrownBy(() -> registry.validate(key, new byte[] {(byte) 0xFF, 0x01}, NOW)).isInstanceOf(InvalidRecordException.class);
  }

  @Test
  void keysOutsideRegisteredNamespacesAreRefused() {
    assertThatThrownBy(() -> registry.validate("/ipns/abc".getBytes(StandardCharsets.UTF_8), new byte[1], NOW)).hasMessageContaining("no validator");
    assertThatThrownBy(() -> registry.validate("plain".getBytes(StandardCharsets.UTF_8), new byte[1], NOW)).hasMessageContaining("no validator");
    assertThatThrownBy(() -> registry.validate("/weft/run/notapeer/x".getBytes(StandardCharsets.UTF_8), new byte[1], NOW)).isInstanceOf(InvalidRecordException.class);
  }

  @Test
  void selectPrefersHigherSeqThenLaterExpiryRegardlessOfOrder() {
    byte[] v1 = SignedRecords.sign(alice, key, payload, 1, NOW + 5000);
    byte[] v2 = SignedRecords.sign(alice, key, payload, 2, NOW + 1000);
    byte[] v2later = SignedRecords.sign(alice, key, payload, 2, NOW + 2000);
    List<byte[]> a = List.of(v1, v2, v2later);
    List<byte[]> b = List.of(v2later, v1, v2);
    assertThat(a.get(registry.select(key, a))).isEqualTo(v2later);
    assertThat(b.get(registry.select(key, b))).isEqualTo(v2later);
    assertThat(Arrays.equals(a.get(registry.select(key, a)), b.get(registry.select(key, b)))).isTrue();
  }

  @Test
  void signingBytesAreDomainSeparated() {
    byte[] s = SignedRecords.signingBytes(key, payload, 1, 2);
    assertThat(new String(s, 0, SignedRecords.DOMAIN.length, StandardCharsets.US_ASCII)).startsWith("weft-dht-signed-value/v1");
    // moving bytes between key and payload changes what is signed
    assertThat(SignedRecords.signingBytes("ab".getBytes(), "c".getBytes(), 1, 2)).isNotEqualTo(SignedRecords.signingBytes("a".getBytes(), "bc".getBytes(), 1, 2));
  }

  static WeftRecordProto.SignedValue parse(byte[] v) {
    try {
      return WeftRecordProto.SignedValue.parseFrom(v);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
