package dev.weft.node.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.dht.pb.WeftRecordProto;
import dev.weft.dht.record.InvalidRecordException;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.PubKeyDecoder;
import dev.weft.dht.record.SignedRecordValidator;
import dev.weft.dht.record.SignedRecords;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * How {@code weft run list} finds runs in a DHT that cannot enumerate keys: each coordinator keeps
 * a signed record {@code /weft/run/<coordinator>/_index} naming its runs (a name starting with
 * '_' is never a run name), and provides the well-known key {@link #RUNS_KEY}, so the providers of
 * that key are the coordinators and their index records name the runs.
 *
 * <p>Limitation: provider records expire (48 h) unless their provider is online to refresh them,
 * so a coordinator that left long ago is found only by {@code --author}; its records themselves
 * are re-put by the run's volunteers.
 */
public final class RunIndex {
  public static final String INDEX_NAME = "_index";
  /** The multihash every coordinator provides. */
  public static final byte[] RUNS_KEY = Multihash.sha256("weft/runs/v1".getBytes(StandardCharsets.US_ASCII)).bytes();
  /** Names an index holds at most (it must fit in a record). */
  public static final int MAX_NAMES = 128;

  private RunIndex() {}

  public static byte[] key(PeerId coordinator) {
    return Keys.runKey(coordinator, INDEX_NAME);
  }

  /** The index of {@code coordinator} with {@code names} (sorted, deduplicated, the newest kept when over the limit). */
  public static byte[] sign(PrivKey coordinator, List<String> names, long seq, long expiresAt) {
    TreeSet<String> set = new TreeSet<>(names);
    while (set.size() > MAX_NAMES) set.pollFirst();
    ObjectNode o = ManifestJson.JSON.createObjectNode();
    ArrayNode a = o.putArray("runs");
    set.forEach(a::add);
    byte[] payload;
    try {
      payload = ManifestJson.JSON.writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return SignedRecords.sign(coordinator, key(PeerId.fromPublicKey(coordinator.publicKey())), payload, seq, expiresAt);
  }

  /** The names and seq in a verified index record. */
  public record Index(List<String> names, long seq) {}

  public static Index verify(PeerId coordinator, byte[] value, long now, PubKeyDecoder keys) throws InvalidManifestException {
    byte[] key = key(coordinator);
    try {
      SignedRecordValidator.weftRun(keys).validate(key, value, now);
      WeftRecordProto.SignedValue sv = WeftRecordProto.SignedValue.parseFrom(value);
      JsonNode runs = ManifestJson.JSON.readTree(sv.getPayload().toByteArray()).get("runs");
      List<String> out = new ArrayList<>();
      if (runs != null && runs.isArray()) {
        for (JsonNode n : runs) if (n.isTextual() && ManifestReader.NAME.matcher(n.asText()).matches() && out.size() < MAX_NAMES) out.add(n.asText());
      }
      return new Index(out, sv.getSeq());
    } catch (InvalidRecordException e) {
      throw new InvalidManifestException("(index)", "record refused: " + e.getMessage());
    } catch (java.io.IOException e) {
      throw new InvalidManifestException("(index)", "malformed index: " + e.getMessage());
    }
  }
}
