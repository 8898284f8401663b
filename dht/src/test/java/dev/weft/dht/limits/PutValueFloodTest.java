package dev.weft.dht.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtLimits;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.TestPeers;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.dht.store.DhtStore;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One peer sends hundreds of valid, signed 16 KB PUT_VALUEs through the request handler: the
 * store grows by at most that peer's record quota, the flooder's oldest records are the ones that
 * go, and an honest record stored before the flood is still served. The request rate is lifted
 * here so that the quota alone is what is tested ({@link RequestRateLimitTest} tests the rate).
 * The full 10,000-request run is the bench command {@code DhtFloodBench} (docs/dht.md).
 */
class PutValueFloodTest {
  static final int FLOOD = 300;
  static final byte[] PAYLOAD = new byte[DhtCodec.MAX_VALUE_BYTES - 400];

  @TempDir Path dir;
  final Random r = new Random(15);
  final long expires = dev.weft.dht.sim.SimKadNetwork.EPOCH_ORIGIN + 24 * DhtConfig.HOUR;

  static DhtConfig unthrottled(DhtLimits limits) {
    return DhtConfig.defaults().withLimits(limits.withRequestRate(1e9, 1_000_000_000));
  }

  /** Sends FLOOD signed PUT_VALUEs from {@code flooderKey}; returns how many the node acknowledged. */
  int flood(ServedNode n, PrivKey flooderKey) {
    PeerInfo flooder = PeerInfo.of(PeerId.fromPublicKey(flooderKey.publicKey()), List.of(TestPeers.addr(9)));
    int acked = 0;
    for (int i = 0; i < FLOOD; i++) {
      byte[] key = Keys.runKey(flooder.id(), "spam-" + i);
      byte[] value = SignedRecords.sign(flooderKey, key, PAYLOAD, 1, expires);
      if (n.request(flooder, DhtMessage.putValue(new DhtMessage.DhtRecord(key, value, ""))).isPresent()) acked++;
    }
    return acked;
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocks"})
  void aFlooderGrowsTheStoreByAtMostItsQuotaAndHonestRecordsStay(String kind) {
    DhtLimits limits = DhtLimits.defaults();
    try (DhtStore store = ServedNode.open(kind, dir)) {
      ServedNode n = new ServedNode(unthrottled(limits), store);
      PrivKey honestKey = TestEd25519.generate(r);
      PeerInfo honest = PeerInfo.of(PeerId.fromPublicKey(honestKey.publicKey()), List.of(TestPeers.addr(1)));
      byte[] hk = Keys.runKey(honest.id(), "manifest");
      byte[] hv = SignedRecords.sign(honestKey, hk, PAYLOAD, 1, expires);
      assertThat(n.request(honest, DhtMessage.putValue(new DhtMessage.DhtRecord(hk, hv, "")))).isPresent();
      long before = n.node.records().accountedBytes();

      PrivKey flooderKey = TestEd25519.generate(r);
      PeerId flooder = PeerId.fromPublicKey(flooderKey.publicKey());
      int acked = flood(n, flooderKey);

      assertThat(acked).as("every valid PUT_VALUE is taken (the flooder's oldest make room)").isEqualTo(FLOOD);
      assertThat(n.node.records().usage(flooder).bytes()).isLessThanOrEqualTo(limits.maxRecordBytesPerPeer());
      assertThat(n.node.records().accountedBytes() - before).as("store growth").isLessThanOrEqualTo(limits.maxRecordBytesPerPeer());
      assertThat(n.node.records().size()).isLessThanOrEqualTo(1 + limits.maxRecordBytesPerPeer() / PAYLOAD.length);
      DhtMessage got = n.request(TestPeers.peer(r), DhtMessage.request(DhtMessage.Type.GET_VALUE, hk)).orElseThrow();
      assertThat(got.record()).as("the honest record survives the flood").isNotNull();
      assertThat(got.record().value()).isEqualTo(hv);
      assertThat(n.node.records().get(Keys.runKey(flooder, "spam-" + (FLOOD - 1)))).as("the flooder's newest is kept").isPresent();
      assertThat(n.node.records().get(Keys.runKey(flooder, "spam-0"))).as("the flooder's oldest went first").isEmpty();
    }
  }

  @Test
  void withoutThePerPeerQuotaTheSameFloodTakesTheStore() {
    DhtLimits d = DhtLimits.defaults();
    DhtLimits lifted = d.withRecordQuotas(d.maxRecords(), d.maxRecordBytes(), (int) d.maxRecords(), d.maxRecordBytes());
    try (DhtStore store = ServedNode.open("memory", dir)) {
      ServedNode n = new ServedNode(unthrottled(lifted), store);
      flood(n, TestEd25519.generate(r));
      assertThat(n.node.records().accountedBytes()).as("one peer's flood, unbounded by a per-peer quota")
          .isGreaterThan(4 * d.maxRecordBytesPerPeer());
      assertThat(n.node.records().size()).isEqualTo(FLOOD);
    }
  }
}
