package dev.weft.p2p.pubsub.gossipsub;

import static dev.weft.p2p.pubsub.gossipsub.RouterHarness.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.Rpc;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one router with a fuzzer-chosen sequence of events from a few peers: raw bytes, RPCs
 * with random control entries and forged messages, heartbeats and time steps. The router must
 * never throw; its mesh holds only connected peers, and after every heartbeat at most D_hi of
 * them (with 16 peers, grafts can push it past D_hi = 12 in between, so the bound is real); and it
 * must never deliver a message whose signature does not verify.
 */
class GossipsubRouterFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void routerSurvivesAnyInput(FuzzedDataProvider in) {
    RouterHarness h = new RouterHarness();
    GossipsubRouter r = h.router;
    List<PeerId> peers = h.subscribedPeers(16, 4);
    r.subscribe(TOPIC);
    String[] topics = {TOPIC, "other", ""};
    int steps = in.consumeInt(1, 64);
    for (int i = 0; i < steps && in.remainingBytes() > 0; i++) {
      PeerId p = peers.get(in.consumeInt(0, peers.size() - 1));
      switch (in.consumeInt(0, 6)) {
        case 0 -> r.handleRpcBytes(p, in.consumeBytes(in.consumeInt(0, 512)));
        case 1 -> r.handleRpc(p, Rpc.ofControl(control(in, topics)));
        case 2 -> {
          PubsubMessage good = h.messageFrom(peers.get(in.consumeInt(0, peers.size() - 1)), in.consumeBytes(16));
          PubsubMessage m = in.consumeBoolean()
              ? good
              : new PubsubMessage(good.from(), in.consumeBytes(8), good.seqno(), topics[in.consumeInt(0, 2)], good.signature(),
                  in.consumeBoolean() ? good.key() : in.consumeBytes(36));
          r.handleRpc(p, Rpc.ofMessages(List.of(m)));
        }
        case 3 -> r.handleRpc(p, new Rpc(List.of(new Rpc.Subscription(in.consumeBoolean(), topics[in.consumeInt(0, 2)])), List.of(), null));
        case 4 -> {
          r.heartbeat();
          assertThat(r.mesh(TOPIC).size()).as("mesh after a heartbeat").isLessThanOrEqualTo(GossipsubConfig.defaults().dHi());
        }
        case 5 -> h.scheduler.runFor(in.consumeInt(0, 70_000));
        default -> {
          if (in.consumeBoolean()) {
            r.removePeer(p);
          } else {
            r.addPeer(p, GossipsubProtocol.values()[in.consumeInt(0, 3)], in.consumeBoolean(), "10.0.0.9");
          }
        }
      }
      assertThat(r.peers()).as("mesh members are connected peers").containsAll(r.mesh(TOPIC));
    }
    for (PubsubMessage m : h.delivered) {
      assertThat(new dev.weft.p2p.pubsub.MessageSigner(dev.weft.p2p.pubsub.TestKeys.DECODER)
          .verify(m, dev.weft.p2p.pubsub.SignaturePolicy.STRICT_SIGN).valid()).isTrue();
    }
  }

  private static Rpc.Control control(FuzzedDataProvider in, String[] topics) {
    List<Rpc.IHave> ihave = new ArrayList<>();
    List<Rpc.IWant> iwant = new ArrayList<>();
    List<Rpc.Graft> graft = new ArrayList<>();
    List<Rpc.Prune> prune = new ArrayList<>();
    List<Rpc.IDontWant> idw = new ArrayList<>();
    int n = in.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      String t = topics[in.consumeInt(0, 2)];
      switch (in.consumeInt(0, 4)) {
        case 0 -> ihave.add(new Rpc.IHave(t, ids(in)));
        case 1 -> iwant.add(new Rpc.IWant(ids(in)));
        case 2 -> graft.add(new Rpc.Graft(t));
        case 3 -> prune.add(new Rpc.Prune(t, List.of(new Rpc.PeerInfo(in.consumeBytes(40), null)),
            in.consumeBoolean() ? null : in.consumeLong()));
        default -> idw.add(new Rpc.IDontWant(ids(in)));
      }
    }
    return new Rpc.Control(ihave, iwant, graft, prune, idw);
  }

  private static List<MessageId> ids(FuzzedDataProvider in) {
    List<MessageId> ids = new ArrayList<>();
    int n = in.consumeInt(0, 8);
    for (int i = 0; i < n; i++) ids.add(MessageId.of(in.consumeBytes(in.consumeInt(1, 46))));
    return ids;
  }
}
