package dev.weft.node.run;

import dev.weft.dht.record.InvalidRecordException;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecordValidator;
import dev.weft.dht.record.SignedRecords;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.dht.record.PubKeyDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A run manifest as a signed {@code /weft/run/<coordinator>/<name>} DHT record: the payload is the
 * manifest's canonical JSON ({@link ManifestJson}), signed by the coordinator's key with the DHT's
 * {@link SignedRecords} scheme, so the same bytes are stored in the DHT, sent on gossip and
 * checked by {@link #verify} the same way everywhere. A manifest is refused unless the record's
 * signature is good, the key that signed is the one the DHT key names, and the manifest names the
 * same coordinator and run name as the key.
 */
public final class SignedManifest {
  /** How long a published manifest stays valid (volunteers re-put it meanwhile). */
  public static final long DEFAULT_VALIDITY_MILLIS = 90L * 24 * 60 * 60_000;

  /** A signed manifest: its DHT key and value, and what they say. */
  public record Signed(byte[] key, byte[] value, RunManifest manifest) {
    public String runId() {
      return manifest.id();
    }
  }

  private SignedManifest() {}

  /** The DHT key of run {@code id} ({@code <coordinator>/<name>}). */
  public static byte[] key(String runId) {
    int slash = runId.indexOf('/');
    if (slash <= 0 || slash == runId.length() - 1) throw new IllegalArgumentException("a run id is <coordinator peer id>/<name>, not '" + runId + "'");
    PeerId author;
    try {
      author = PeerId.parse(runId.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("run id '" + runId + "' does not start with a peer id: " + e.getMessage());
    }
    return Keys.runKey(author, runId.substring(slash + 1));
  }

  /**
   * Signs {@code m} with {@code coordinator}, whose peer id the manifest must name.
   *
   * @param seq a newer seq replaces an older record under the same key (the DHT keeps the highest)
   */
  public static Signed sign(RunManifest m, PrivKey coordinator, long seq, long expiresAtEpochMillis) {
    PeerId signer = PeerId.fromPublicKey(coordinator.publicKey());
    if (!signer.equals(m.coordinator())) throw new IllegalArgumentException("the manifest names coordinator " + m.coordinator() + " but the key is " + signer);
    byte[] key = Keys.runKey(signer, m.name());
    byte[] value = SignedRecords.sign(coordinator, key, ManifestJson.encode(m), seq, expiresAtEpochMillis);
    return new Signed(key, value, m);
  }

  /**
   * Checks a {@code /weft/run/} record and reads its manifest.
   *
   * @throws InvalidManifestException on a bad signature, a signer other than the key's author, a
   *     manifest naming another coordinator or run, an expired record, or an invalid manifest
   */
  public static Signed verify(byte[] key, byte[] value, long nowEpochMillis, PubKeyDecoder keys) throws InvalidManifestException {
    try {
      SignedRecordValidator.weftRun(keys).validate(key, value, nowEpochMillis);
    } catch (InvalidRecordException e) {
      throw new InvalidManifestException("(signature)", "record refused: " + e.getMessage());
    }
    byte[] payload;
    try {
      payload = dev.weft.dht.pb.WeftRecordProto.SignedValue.parseFrom(value).getPayload().toByteArray();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new InvalidManifestException("(signature)", "malformed signed value");
    }
    RunManifest m = ManifestJson.decode(payload);
    String k = new String(key, StandardCharsets.UTF_8);
    String expected = Keys.WEFT_RUN_PREFIX + m.id();
    if (!k.equals(expected)) {
      throw new InvalidManifestException("coordinator", "the record " + k + " carries the manifest of " + m.id() + ", signed by the key's author, not by the coordinator it names");
    }
    return new Signed(key, value, m);
  }
}
