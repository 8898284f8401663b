package dev.weft.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageSignerTest {
  private final Random random = new Random(7);
  private final PrivKey alice = TestKeys.generate(random);
  private final PrivKey mallory = TestKeys.generate(random);
  private final MessageSigner signer = new MessageSigner(TestKeys.DECODER);

  @Test
  void signedMessageVerifiesWithKeyFieldAndWithInlinedKey() {
    PubsubMessage m = MessageSigner.sign(alice, "t", new byte[] {1, 2, 3}, 5);
    assertThat(m.seqno()).containsExactly(0, 0, 0, 0, 0, 0, 0, 5);
    assertThat(m.from()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()).bytes());
    MessageSigner.Verdict v = signer.verify(m, SignaturePolicy.STRICT_SIGN);
    assertThat(v.valid()).isTrue();
    assertThat(v.author()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
    PubsubMessage noKey = new PubsubMessage(m.from(), m.data(), m.seqno(), m.topic(), null, null);
    noKey = noKey.withSignature(alice.sign(RpcCodec.signedPayload(noKey)));
    assertThat(signer.verify(noKey, SignaturePolicy.STRICT_SIGN).valid()).isTrue();
  }

  @Test
  void rejectsTamperingForgeryAndMissingFields() {
    PubsubMessage m = MessageSigner.sign(alice, "t", new byte[] {1, 2, 3}, 5);
    PubsubMessage tampered = new PubsubMessage(m.from(), new byte[] {1, 2, 4}, m.seqno(), m.topic(), m.signature(), m.key());
    assertThat(signer.verify(tampered, SignaturePolicy.STRICT_SIGN).reason()).isEqualTo("bad signature");
    PubsubMessage otherTopic = new PubsubMessage(m.from(), m.data(), m.seqno(), "u", m.signature(), m.key());
    assertThat(signer.verify(otherTopic, SignaturePolicy.STRICT_SIGN).valid()).isFalse();
    // Mallory signs with her key but claims to be Alice.
    PubsubMessage forged = new PubsubMessage(m.from(), m.data(), m.seqno(), m.topic(), null, mallory.publicKey().marshal());
    forged = forged.withSignature(mallory.sign(RpcCodec.signedPayload(forged)));
    assertThat(signer.verify(forged, SignaturePolicy.STRICT_SIGN).reason()).isEqualTo("key does not match from");
    assertThat(signer.verify(new PubsubMessage(null, m.data(), m.seqno(), "t", m.signature(), m.key()), SignaturePolicy.STRICT_SIGN).reason()).isEqualTo("missing from");
    assertThat(signer.verify(new PubsubMessage(m.from(), m.data(), null, "t", m.signature(), m.key()), SignaturePolicy.STRICT_SIGN).reason()).isEqualTo("missing seqno");
    assertThat(signer.verify(m.withoutSignature(), SignaturePolicy.STRICT_SIGN).reason()).isEqualTo("missing signature");
    assertThat(signer.verify(new PubsubMessage(new byte[] {1, 2, 3}, m.data(), m.seqno(), "t", m.signature(), null), SignaturePolicy.STRICT_SIGN).valid()).isFalse();
    assertThat(signer.verify(new PubsubMessage(m.from(), m.data(), m.seqno(), "t", m.signature(), new byte[] {8, 1}), SignaturePolicy.STRICT_SIGN).reason()).startsWith("undecodable key");
    assertThat(signer.verify(m.withSignature(new byte[3]), SignaturePolicy.STRICT_SIGN).valid()).isFalse();
  }

  @Test
  void strictNoSignRejectsOriginFields() {
    PubsubMessage plain = new PubsubMessage(null, new byte[] {1}, null, "t", null, null);
    assertThat(signer.verify(plain, SignaturePolicy.STRICT_NO_SIGN).valid()).isTrue();
    assertThat(signer.verify(MessageSigner.sign(alice, "t", new byte[] {1}, 1), SignaturePolicy.STRICT_NO_SIGN).valid()).isFalse();
    assertThat(signer.verify(plain, SignaturePolicy.STRICT_SIGN).valid()).isFalse();
  }

  @Test
  void defaultMessageIdIsFromThenSeqno() {
    PubsubMessage m = MessageSigner.sign(alice, "t", new byte[] {1}, 258);
    byte[] id = MessageIdFunction.FROM_AND_SEQNO.apply(m).bytes();
    assertThat(id).hasSize(m.from().length + 8);
    assertThat(id).startsWith(m.from()).endsWith(0, 0, 0, 0, 0, 0, 1, 2);
  }
}
