package dev.weft.dht.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.QueryResult;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.p2p.crypto.PrivKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * 500 nodes of which 20% lie: half answer everything with nothing (and drop what they are asked
 * to store), half answer with forged records and steer lookups towards each other (the
 * adversaries closest to the target). Disjoint-path GETs must still find the signed values.
 *
 * <p>What it measures, and asserts: with liars at random points of the keyspace, plain GETs route
 * around them as well (100/100 at the pinned seed), and the disjoint paths cost several times the
 * messages. So this simulation shows the price of disjoint paths, not their necessity; an
 * adversary placed next to the target keys (an eclipse) is what they are for, and is not
 * simulated here.
 */
class AdversarialSimTest {
  static final long SEED = Long.getLong("dht.sim.seed", 0x5EED_0003L);

  @Test
  void disjointLookupsFindValuesDespiteTwentyPercentLiars() {
    SimHarness h = new SimHarness(SEED, 0.01);
    List<SimKadNetwork.SimNode> nodes = h.build(KadNetworkSimTest.NODES, 50);
    Random r = new Random(SEED);
    List<SimKadNetwork.SimNode> shuffled = new ArrayList<>(nodes.subList(1, nodes.size()));
    Collections.shuffle(shuffled, r);
    int liars = nodes.size() * 20 / 100;
    List<PeerInfo> liarInfos = shuffled.subList(0, liars).stream().map(s -> s.node.self()).toList();
    PrivKey forger = TestEd25519.generate(r);
    for (int i = 0; i < liars; i++) shuffled.get(i).setBehaviour(i % 2 == 0 ? empty() : wrong(liarInfos, forger));
    List<SimKadNetwork.SimNode> honest = new ArrayList<>(shuffled.subList(liars, shuffled.size()));

    int values = 50;
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    List<SimKadNetwork.SimNode> authors = new ArrayList<>();
    List<CompletableFuture<QueryResult.Stored>> puts = new ArrayList<>();
    for (int i = 0; i < values; i++) {
      SimKadNetwork.SimNode author = honest.get(r.nextInt(honest.size()));
      byte[] key = Keys.runKey(author.node.peerId(), "run-" + i);
      byte[] value = SignedRecords.sign(author.key, key, ("manifest " + i).getBytes(StandardCharsets.UTF_8), 1,
          h.net.wallClock().epochMillis() + 24 * 3_600_000L);
      keys.add(key);
      expected.add(value);
      authors.add(author);
      puts.add(author.node.putValue(key, value));
    }
    h.awaitAll(puts);

    int gets = 100;
    List<CompletableFuture<QueryResult.Value>> disjoint = new ArrayList<>();
    List<CompletableFuture<QueryResult.Value>> plain = new ArrayList<>();
    List<Integer> which = new ArrayList<>();
    for (int i = 0; i < gets; i++) {
      int v = r.nextInt(values);
      SimKadNetwork.SimNode getter;
      do {
        getter = honest.get(r.nextInt(honest.size()));
      } while (getter == authors.get(v));
      which.add(v);
      disjoint.add(getter.node.getValue(keys.get(v), true));
      plain.add(getter.node.getValue(keys.get(v), false));
    }
    List<QueryResult.Value> dr = h.awaitAll(disjoint);
    List<QueryResult.Value> pr = h.awaitAll(plain);
    int okDisjoint = 0;
    int okPlain = 0;
    for (int i = 0; i < gets; i++) {
      byte[] want = expected.get(which.get(i));
      if (dr.get(i).value().filter(b -> Arrays.equals(b, want)).isPresent()) okDisjoint++;
      if (pr.get(i).value().filter(b -> Arrays.equals(b, want)).isPresent()) okPlain++;
    }
    long banned = honest.stream().mapToLong(s -> liarInfos.stream().filter(l -> s.node.scores().isBanned(l.id(), h.scheduler.nowMillis())).count()).sum();
    System.out.printf("adversarial sim (seed %d): %d liars of %d; disjoint GETs found the value %d/%d (messages median %d), plain GETs %d/%d (messages median %d);"
        + " liar bans across honest nodes %d%n", SEED, liars, nodes.size(), okDisjoint, gets,
        SimHarness.percentile(dr.stream().map(QueryResult::messages).toList(), 0.5), okPlain, gets,
        SimHarness.percentile(pr.stream().map(QueryResult::messages).toList(), 0.5), banned);
    assertThat(okDisjoint).as("disjoint GETs with 20%% liars, seed %d", SEED).isGreaterThanOrEqualTo(99);
    assertThat(okPlain).as("plain GETs with 20%% liars at random points, seed %d", SEED).isGreaterThanOrEqualTo(95);
    int disjointMessages = SimHarness.percentile(dr.stream().map(QueryResult::messages).toList(), 0.5);
    int plainMessages = SimHarness.percentile(pr.stream().map(QueryResult::messages).toList(), 0.5);
    assertThat(disjointMessages).as("the price of disjoint paths (median messages vs plain %d), seed %d", plainMessages, SEED)
        .isGreaterThanOrEqualTo(2 * plainMessages);
    assertThat(dr.stream().filter(q -> q.value().isPresent()).count()).as("no GET returned a forged value, seed %d", SEED)
        .isEqualTo(okDisjoint);
    assertThat(pr.stream().filter(q -> q.value().isPresent()).count()).as("no plain GET returned a forged value, seed %d", SEED)
        .isEqualTo(okPlain);
  }

  /** Answers with nothing at all; echoes PUTs as if stored. */
  static SimKadNetwork.Behaviour empty() {
    return (from, req, honest) -> DhtCodec.encode(req.type() == DhtMessage.Type.PUT_VALUE ? req : new DhtMessage(req.type(), req.key(), null, List.of(), List.of()));
  }

  /** Forged values (signed by the wrong key) and the liars closest to the target as "closer peers". */
  static SimKadNetwork.Behaviour wrong(List<PeerInfo> liars, PrivKey forger) {
    return (from, req, honest) -> {
      if (req.type() == DhtMessage.Type.PUT_VALUE) return DhtCodec.encode(req);
      KadKey target = KadKey.ofKey(req.key());
      List<PeerInfo> closest = new ArrayList<>(liars);
      closest.sort(Comparator.comparing(PeerInfo::kadKey, target::compareDistance));
      DhtMessage.DhtRecord forged = req.type() == DhtMessage.Type.GET_VALUE
          ? new DhtMessage.DhtRecord(req.key(), SignedRecords.sign(forger, req.key(), "forged".getBytes(StandardCharsets.UTF_8), 99, Long.MAX_VALUE / 2), "")
          : null;
      return DhtCodec.encode(new DhtMessage(req.type(), req.key(), forged, closest.subList(0, 20), List.of()));
    };
  }
}
