package dev.weft.dht.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtLimits;
import dev.weft.dht.QueryResult;
import dev.weft.dht.TestPeers;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.sim.SimHarness;
import dev.weft.dht.sim.SimKadNetwork;
import dev.weft.p2p.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The content-discovery poisoning from issue 15: 25 identities announce one CID, each with 32
 * addresses of 1 KB, to the nodes closest to it. Answering GET_PROVIDERS with every provider and
 * every address makes the answer ~600 KB, over the 64 KiB every weft reader enforces, so the asker
 * drops every answer and finds nobody, although the honest provider is stored on all of them. Each
 * defence alone restores the honest lookup: the address limits at store time, and answers built
 * to fit the reader (verified and lean providers first). Simulated network, real codec and limits.
 */
class FatProviderPoisoningTest {
  static final long SEED = Long.getLong("dht.sim.seed", 0x5EED_0015L);
  static final int NODES = 40;
  static final int FAT_IDENTITIES = 25;

  /** What the node's GET_PROVIDERS answer was before issue 15: the first k providers, every address. */
  static SimKadNetwork.Behaviour unfittedAnswers(SimKadNetwork.SimNode self) {
    return (from, req, honest) -> {
      Optional<DhtMessage> a = honest.apply(req);
      if (req.type() != DhtMessage.Type.GET_PROVIDERS || a.isEmpty()) return a.map(DhtCodec::encode).orElse(null);
      return DhtCodec.encode(new DhtMessage(req.type(), req.key(), null, a.get().closerPeers(), self.node.providerBook().get(req.key(), 20)));
    };
  }

  record Outcome(QueryResult.Providers found, PeerInfo honest, int largestAnswer) {}

  Outcome attack(DhtConfig config, boolean unfitted) {
    SimHarness h = new SimHarness(SEED, 0.0);
    List<SimKadNetwork.SimNode> nodes = h.build(NODES, 50, config);
    byte[] cid = Multihash.sha256("the dataset shard".getBytes(StandardCharsets.UTF_8)).bytes();
    List<SimKadNetwork.SimNode> closest = h.trueClosest(KadKey.ofKey(cid), 20);
    SimKadNetwork.SimNode provider = nodes.stream().filter(n -> !closest.contains(n)).findFirst().orElseThrow();
    SimKadNetwork.SimNode asker = nodes.stream().filter(n -> !closest.contains(n) && n != provider).reduce((a, b) -> b).orElseThrow();
    assertThat(h.await(provider.node.provide(cid)).stored()).as("seed %d", SEED).isGreaterThanOrEqualTo(15);

    Random r = new Random(SEED);
    for (int i = 0; i < FAT_IDENTITIES; i++) {
      PeerInfo fat = PeerInfo.of(TestPeers.peerId(r), ServedNode.fatAddrs(32, 1024, i));
      for (SimKadNetwork.SimNode n : closest) n.node.handleRequest(fat, false, DhtMessage.addProvider(cid, fat));
    }
    int largest = 0;
    for (SimKadNetwork.SimNode n : closest) {
      DhtMessage honestAnswer = n.node.handleRequest(asker.node.self(), true, DhtMessage.request(DhtMessage.Type.GET_PROVIDERS, cid)).orElseThrow();
      largest = Math.max(largest, DhtCodec.encode(unfitted
          ? new DhtMessage(DhtMessage.Type.GET_PROVIDERS, cid, null, honestAnswer.closerPeers(), n.node.providerBook().get(cid, 20))
          : honestAnswer).length);
    }
    if (unfitted) for (SimKadNetwork.SimNode n : closest) n.setBehaviour(unfittedAnswers(n));
    // ask for more providers than exist, so the lookup hears every closest node rather than stopping at the first fat one
    return new Outcome(h.await(asker.node.findProviders(cid, FAT_IDENTITIES + 1, false)), provider.node.self(), largest);
  }

  static DhtConfig storeKeepsFatAddresses() {
    return SimHarness.simConfig().withLimits(DhtLimits.defaults().withProviderAddrs(DhtCodec.MAX_ADDRS_PER_PEER, 1024));
  }

  @Test
  void withoutEitherDefenceTheHonestLookupFindsNobody() {
    Outcome o = attack(storeKeepsFatAddresses(), true);
    assertThat(o.largestAnswer()).as("the unfitted answer, seed %d", SEED).isGreaterThan(DhtCodec.MAX_MESSAGE_BYTES);
    assertThat(o.found().providers()).as("seed %d", SEED).isEmpty();
  }

  @Test
  void answersBuiltToFitTheReaderKeepTheHonestProviderFindable() {
    Outcome o = attack(storeKeepsFatAddresses(), false);
    assertThat(o.largestAnswer()).as("seed %d", SEED).isLessThanOrEqualTo(DhtCodec.MAX_MESSAGE_BYTES);
    assertThat(o.found().providers()).as("seed %d", SEED).extracting(PeerInfo::id).contains(o.honest().id());
  }

  @Test
  void withTheDefaultLimitsTheHonestProviderIsFound() {
    Outcome o = attack(SimHarness.simConfig(), false);
    assertThat(o.largestAnswer()).as("seed %d", SEED).isLessThanOrEqualTo(DhtCodec.MAX_MESSAGE_BYTES);
    assertThat(o.found().providers()).as("seed %d", SEED).extracting(PeerInfo::id).contains(o.honest().id());
  }
}
