package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.MessageIdFunction;
import dev.weft.p2p.pubsub.MessageSigner;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.Rpc;
import dev.weft.p2p.pubsub.RpcCodec;
import dev.weft.p2p.pubsub.SignaturePolicy;
import dev.weft.p2p.pubsub.TestKeys;
import dev.weft.p2p.time.SimScheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;


/**
 * Benchmark (a main, not a test): messages per second through one router with 20 peers and 1 KiB
 * messages — decode, signature check, validation, cache, forward to the mesh and encode — and the
 * 100-node simulation's latency and amplification against the D = 6 theory.
 *
 * <p>Run: see docs/gossipsub.md.
 */
public final class GossipsubBench {
  private static final String TOPIC = "bench";
  private static final int PEERS = 20;
  private static final int SIZE = 1024;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    System.out.println("# one router, " + PEERS + " peers, " + SIZE + " B messages, " + n + " messages per run");
    for (SignaturePolicy policy : new SignaturePolicy[] {SignaturePolicy.STRICT_SIGN, SignaturePolicy.STRICT_NO_SIGN}) {
      routerThroughput(policy, n / 4); // warm-up
      routerThroughput(policy, n);
    }
    System.out.println();
    System.out.println("# 100-node simulation (seeded), 100 messages of 256 B, links 10-60 ms");
    simulation("flood publish (default), 1% loss", GossipsubConfig.defaults(), 0.01);
    simulation("mesh only (floodPublish=false), no loss", GossipsubConfig.defaults().withFloodPublish(false), 0);
    double d = GossipsubConfig.defaults().d();
    System.out.printf("theory: each node relays to its mesh peers but the sender, so copies per receiver ~ (mean mesh degree - 1),"
        + " i.e. %.0f for a mesh of exactly D = %.0f; hops ~ ln(99)/ln(D-1) = %.2f%n", d - 1, d, Math.log(99) / Math.log(d - 1));
  }

  private static void routerThroughput(SignaturePolicy policy, int n) throws Exception {
    SimScheduler sched = new SimScheduler(1);
    Random random = new Random(5);
    PrivKey self = TestKeys.generate(random);
    long[] sentBytes = new long[1];
    MessageIdFunction idFn = policy == SignaturePolicy.STRICT_SIGN ? MessageIdFunction.FROM_AND_SEQNO : GossipsubBench::sha256Id;
    GossipsubRouter router = new GossipsubRouter(GossipsubConfig.defaults().withSignaturePolicy(policy),
        PeerScoreParams.defaults(Map.of(TOPIC, TopicScoreParams.defaults())), PeerScoreThresholds.defaults(), self,
        new MessageSigner(), idFn, sched, random, (peer, rpc) -> sentBytes[0] += RpcCodec.encode(rpc).length, (m, id, from) -> { });
    List<PeerId> peers = new ArrayList<>();
    List<PrivKey> keys = new ArrayList<>();
    for (int i = 0; i < PEERS; i++) {
      PrivKey k = TestKeys.generate(random);
      PeerId p = PeerId.fromPublicKey(k.publicKey());
      keys.add(k);
      peers.add(p);
      router.addPeer(p, GossipsubProtocol.MESHSUB_V11, i % 2 == 0, "10.0.0." + i);
      router.handleRpc(p, new Rpc(List.of(new Rpc.Subscription(true, TOPIC)), List.of(), null));
    }
    router.subscribe(TOPIC);
    List<PeerId> mesh = new ArrayList<>(router.mesh(TOPIC));
    byte[][] wire = new byte[n][];
    PeerId[] senders = new PeerId[n];
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[SIZE];
      random.nextBytes(data);
      int a = random.nextInt(PEERS);
      PubsubMessage m = policy == SignaturePolicy.STRICT_SIGN
          ? MessageSigner.sign(keys.get(a), TOPIC, data, i + 1)
          : new PubsubMessage(null, data, null, TOPIC, null, null);
      wire[i] = RpcCodec.encode(Rpc.ofMessages(List.of(m)));
      senders[i] = mesh.get(random.nextInt(mesh.size()));
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      router.handleRpcBytes(senders[i], wire[i]);
      if (i % 1000 == 999) {
        sched.runFor(1_000);
        router.heartbeat();
      }
    }
    long wall = System.nanoTime() - t0;
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    RouterCounters c = router.counters();
    System.out.printf("%-15s %,9.0f msg/s  %6.1f µs CPU/msg  delivered %d/%d  forwarded %,d msgs (%.1f per msg, %,d B out)%n",
        policy, n / (wall / 1e9), cpu / 1e3 / n, c.delivered(), n, c.messagesSent(), (double) c.messagesSent() / n, sentBytes[0]);
  }

  private static MessageId sha256Id(PubsubMessage m) {
    try {
      return MessageId.of(MessageDigest.getInstance("SHA-256").digest(m.data()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void simulation(String label, GossipsubConfig config, double loss) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    SimGossipNetwork net = GossipsubSimTest.run(20261125L, 0, 0, loss, config);
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    double degree = net.nodes.stream().mapToInt(nd -> nd.router.mesh(SimGossipNetwork.TOPIC).size()).average().orElse(0);
    System.out.printf("%-42s %s, mean mesh degree %.2f (%.1f s CPU)%n", label + ":", GossipsubSimTest.stats(net), degree, cpu / 1e9);
  }

  private GossipsubBench() {}

}
