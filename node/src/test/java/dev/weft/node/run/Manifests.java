package dev.weft.node.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.blocks.BlobManifest;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;

/** A valid manifest tree for tests to break one field at a time. */
final class Manifests {
  static final ObjectMapper JSON = new ObjectMapper();
  static final PrivKey COORDINATOR = Ed25519.fromSeedNumber(77);
  static final PeerId COORDINATOR_ID = PeerId.fromPublicKey(COORDINATOR.publicKey());

  static String blob(int n) {
    return BlobManifest.of(new byte[n], 1024).id().toString();
  }

  static ObjectNode valid() {
    String json = """
        {"name":"tiny-shakespeare","coordinator":"%s",
         "model":{"spec":"gpt-micro","seed":1,"checkpoint":"%s"},
         "data":{"shards":["%s","%s","%s","%s"],"shards_per_peer":1},
         "training":{"inner_steps":20,"rounds":50,"checkpoint_every":5,"batch_rows":8},
         "inner":{"lr":0.001,"warmup_steps":10},
         "outer":{"optimizer":"nesterov","lr":0.7,"momentum":0.9},
         "aggregation":{"rule":"centered-clip","f":1,"codec":"int8"},
         "round":{"quorum":3,"min_contributions":3,"max_voters":8},
         "admission":{"policy":"open","voter_tenure_rounds":1},
         "limits":{"max_contribution_bytes":67108864,"max_peers":64,"round_timeout_ms":600000}}
        """.formatted(COORDINATOR_ID.toBase58(), blob(1), blob(2), blob(3), blob(4), blob(5));
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static RunManifest read(JsonNode n) throws InvalidManifestException {
    return ManifestReader.read(n);
  }

  private Manifests() {}
}
