package dev.weft.node.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.blocks.BlobId;
import dev.weft.p2p.api.PeerId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical JSON of a {@link RunManifest}: every field spelt out (no defaults), keys sorted at
 * every level, numbers as Java prints them, no whitespace — so one manifest has one encoding and
 * its signature covers exactly what every reader will read. Field names are the TOML ones.
 */
public final class ManifestJson {
  static final ObjectMapper JSON = new ObjectMapper();
  /** The largest canonical manifest: it must fit in a signed DHT value (16 KiB with key and signature). */
  public static final int MAX_BYTES = 12 * 1024;

  private ManifestJson() {}

  public static ObjectNode tree(RunManifest m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", m.format());
    o.put("name", m.name());
    o.put("coordinator", m.coordinator().toBase58());
    ObjectNode model = o.putObject("model");
    model.put("spec", m.model().spec());
    model.put("seed", m.model().seed());
    model.put("checkpoint", m.model().checkpoint().toString());
    ObjectNode data = o.putObject("data");
    ArrayNode shards = data.putArray("shards");
    for (BlobId b : m.data().shards()) shards.add(b.toString());
    data.put("shards_per_peer", m.data().shardsPerPeer());
    ObjectNode tr = o.putObject("training");
    tr.put("inner_steps", m.training().innerSteps());
    tr.put("rounds", m.training().rounds());
    tr.put("checkpoint_every", m.training().checkpointEvery());
    tr.put("batch_rows", m.training().batchRows());
    ObjectNode in = o.putObject("inner");
    in.put("optimizer", m.inner().optimizer());
    in.put("lr", m.inner().lr());
    in.put("warmup_steps", m.inner().warmupSteps());
    in.put("beta1", m.inner().beta1());
    in.put("beta2", m.inner().beta2());
    in.put("weight_decay", m.inner().weightDecay());
    in.put("clip_norm", m.inner().clipNorm());
    ObjectNode out = o.putObject("outer");
    out.put("optimizer", m.outer().optimizer());
    out.put("lr", m.outer().lr());
    out.put("momentum", m.outer().momentum());
    ObjectNode ag = o.putObject("aggregation");
    ag.put("rule", m.aggregation().rule());
    ag.put("f", m.aggregation().f());
    ag.put("codec", m.aggregation().codec());
    ObjectNode r = o.putObject("round");
    r.put("quorum", m.round().quorum());
    r.put("min_contributions", m.round().minContributions());
    r.put("max_voters", m.round().maxVoters());
    ObjectNode ad = o.putObject("admission");
    ad.put("policy", m.admission().policy());
    ArrayNode allow = ad.putArray("allow");
    for (PeerId p : m.admission().allow()) allow.add(p.toBase58());
    ad.put("voter_tenure_rounds", m.admission().voterTenureRounds());
    ObjectNode l = o.putObject("limits");
    l.put("max_contribution_bytes", m.limits().maxContributionBytes());
    l.put("max_peers", m.limits().maxPeers());
    l.put("round_timeout_ms", m.limits().roundTimeoutMillis());
    return sorted(o);
  }

  /** The canonical bytes. */
  public static byte[] encode(RunManifest m) {
    try {
      return JSON.writeValueAsBytes(tree(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a manifest tree always encodes", e);
    }
  }

  /**
   * Reads canonical bytes (as signed); they must be exactly the canonical encoding of what they
   * decode to, so two encodings of one manifest cannot both carry signatures.
   */
  public static RunManifest decode(byte[] bytes) throws InvalidManifestException {
    if (bytes.length > MAX_BYTES) throw new InvalidManifestException("(manifest)", bytes.length + " bytes, more than " + MAX_BYTES);
    JsonNode tree;
    try {
      tree = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidManifestException("(manifest)", "not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    RunManifest m = ManifestReader.read(tree);
    if (!java.util.Arrays.equals(encode(m), bytes)) throw new InvalidManifestException("(manifest)", "not in canonical form");
    return m;
  }

  static ObjectNode sorted(ObjectNode o) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) keys.add(it.next());
    keys.sort(null);
    ObjectNode s = JSON.createObjectNode();
    for (String k : keys) {
      JsonNode v = o.get(k);
      s.set(k, v instanceof ObjectNode c ? sorted(c) : v);
    }
    return s;
  }
}
