package dev.weft.node.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import org.junit.jupiter.api.Test;

class SignedManifestTest {
  static final long NOW = 1_800_000_000_000L;
  static final long LATER = NOW + SignedManifest.DEFAULT_VALIDITY_MILLIS;
  static final dev.weft.dht.record.PubKeyDecoder KEYS = dev.weft.p2p.crypto.Keys::unmarshalPublicKey;

  @Test
  void aManifestSignedByItsCoordinatorVerifiesAndIsAValidDhtRecord() throws Exception {
    RunManifest m = Manifests.read(Manifests.valid());
    SignedManifest.Signed s = SignedManifest.sign(m, Manifests.COORDINATOR, 1, LATER);
    assertThat(new String(s.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("/weft/run/" + m.id());
    assertThat(s.key()).isEqualTo(SignedManifest.key(m.id()));
    ValidatorRegistry.standard(KEYS).validate(s.key(), s.value(), NOW);
    assertThat(SignedManifest.verify(s.key(), s.value(), NOW, KEYS).manifest()).isEqualTo(m);
    assertThat(s.value().length).isLessThan(ValidatorRegistry.MAX_VALUE_BYTES);
  }

  @Test
  void aManifestSignedByAnotherKeyIsRefused() throws Exception {
    RunManifest m = Manifests.read(Manifests.valid());
    PrivKey mallory = Ed25519.fromSeedNumber(666);
    // mallory signs the coordinator's manifest under the coordinator's key
    byte[] key = Keys.runKey(Manifests.COORDINATOR_ID, m.name());
    byte[] forged = SignedRecords.sign(mallory, key, ManifestJson.encode(m), 1, LATER);
    assertThatThrownBy(() -> SignedManifest.verify(key, forged, NOW, KEYS)).isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("signed by " + PeerId.fromPublicKey(mallory.publicKey()));
    // and cannot sign it with her own key either
    assertThatThrownBy(() -> SignedManifest.sign(m, mallory, 1, LATER)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names coordinator");
  }

  @Test
  void aManifestNamingAnotherCoordinatorUnderItsSignersKeyIsRefused() {
    // mallory publishes, under her own key (valid DHT record), a manifest claiming the coordinator made it
    PrivKey mallory = Ed25519.fromSeedNumber(666);
    PeerId malloryId = PeerId.fromPublicKey(mallory.publicKey());
    ObjectNode root = Manifests.valid();
    byte[] payload;
    try {
      payload = ManifestJson.encode(Manifests.read(root));
    } catch (InvalidManifestException e) {
      throw new AssertionError(e);
    }
    byte[] key = Keys.runKey(malloryId, "tiny-shakespeare");
    byte[] value = SignedRecords.sign(mallory, key, payload, 1, LATER);
    assertThatThrownBy(() -> SignedManifest.verify(key, value, NOW, KEYS)).isInstanceOfSatisfying(InvalidManifestException.class,
        e -> assertThat(e.problems().get(0).field()).isEqualTo("coordinator"));
  }

  @Test
  void aTamperedOrExpiredRecordIsRefused() throws Exception {
    RunManifest m = Manifests.read(Manifests.valid());
    SignedManifest.Signed s = SignedManifest.sign(m, Manifests.COORDINATOR, 1, LATER);
    byte[] tampered = s.value().clone();
    int i = new String(tampered, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\"quorum\":3");
    tampered[i + 9] = '2';
    assertThatThrownBy(() -> SignedManifest.verify(s.key(), tampered, NOW, KEYS)).hasMessageContaining("bad signature");
    assertThatThrownBy(() -> SignedManifest.verify(s.key(), s.value(), LATER + 1, KEYS)).hasMessageContaining("expired");
  }
}
