package dev.weft.dht.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.QueryResult;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entry correction (kad-dht spec, "Value retrieval"): a GET re-puts the best value where it is missing. */
class EntryCorrectionSimTest {
  private static final long SEED = 4242;

  @Test
  void closestPeersThatHadNoValueReceiveItAfterAGet() throws Exception {
    SimHarness h = new SimHarness(SEED, 0.0);
    List<SimKadNetwork.SimNode> nodes = h.build(40, 1_000);
    SimKadNetwork.SimNode author = nodes.get(5);
    byte[] key = Keys.runKey(author.node.peerId(), "correction");
    byte[] value = SignedRecords.sign(author.key, key, "manifest".getBytes(StandardCharsets.UTF_8), 1,
        h.net.wallClock().epochMillis() + 24 * 3_600_000L);
    // Only the closest node holds the value (as if the others lost it or joined after the PUT).
    List<SimKadNetwork.SimNode> closest = h.trueClosest(KadKey.ofKey(key), 25);
    SimKadNetwork.SimNode holder = closest.get(0);
    holder.node.records().put(key, value, false);
    SimKadNetwork.SimNode getter = closest.get(closest.size() - 1);

    var r = h.await(getter.node.getValue(key, false));
    h.scheduler.runFor(5_000);

    assertThat(r.value()).as("seed %d", SEED).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
    List<PeerInfo> corrected = r.closest().stream().filter(p -> !p.id().equals(holder.node.peerId())).toList();
    assertThat(corrected).as("peers the lookup heard from without a value; seed %d", SEED).isNotEmpty();
    for (PeerInfo p : corrected) {
      assertThat(h.net.node(p.id()).node.records().get(key)).as("value re-put to %s; seed %d", p.id(), SEED).isPresent();
    }
  }
}
