package dev.weft.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.MessageIdFunction;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.Rpc;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A per-topic message id function: with a content-addressed id, the same payload published by two
 * authors is one message on that topic (delivered once, the second copy a duplicate), while other
 * topics keep the router's from+seqno ids (two messages).
 */
class TopicMessageIdTest {
  static final MessageIdFunction CONTENT = m -> {
    try {
      return MessageId.of(MessageDigest.getInstance("SHA-256").digest(m.data()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  };

  @Test void contentIdsDeduplicateAcrossAuthorsOnlyOnTheirTopic() {
    RouterHarness h = new RouterHarness();
    h.router.subscribe(RouterHarness.TOPIC);
    h.router.subscribe("other");
    List<PeerId> peers = h.subscribedPeers(2, 2);
    for (PeerId p : peers) h.router.handleRpc(p, new Rpc(List.of(new Rpc.Subscription(true, "other")), List.of(), null));
    h.router.setMessageIdFunction(RouterHarness.TOPIC, CONTENT);
    byte[] data = "same delta".getBytes();

    h.router.handleRpc(peers.get(0), Rpc.ofMessages(List.of(h.messageFrom(peers.get(0), data))));
    h.router.handleRpc(peers.get(1), Rpc.ofMessages(List.of(h.messageFrom(peers.get(1), data))));
    assertThat(h.delivered).hasSize(1);

    PubsubMessage a = signed(h, peers.get(0), "other", data);
    PubsubMessage b = signed(h, peers.get(1), "other", data);
    h.router.handleRpc(peers.get(0), Rpc.ofMessages(List.of(a)));
    h.router.handleRpc(peers.get(1), Rpc.ofMessages(List.of(b)));
    assertThat(h.delivered).hasSize(3);
  }

  private static PubsubMessage signed(RouterHarness h, PeerId author, String topic, byte[] data) {
    return dev.weft.p2p.pubsub.MessageSigner.sign(h.peerKeys.get(author), topic, data, h.seq++);
  }
}
