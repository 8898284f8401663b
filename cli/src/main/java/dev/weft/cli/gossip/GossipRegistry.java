package dev.weft.cli.gossip;

import static dev.weft.cli.p2p.ServeContext.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.p2p.ServeContext;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.gossipsub.GossipsubConfig;
import dev.weft.p2p.pubsub.gossipsub.GossipsubService;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreParams;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreThresholds;
import dev.weft.p2p.pubsub.gossipsub.TopicScoreParams;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The gossipsub service of each serve session's host, created on first use; received messages are
 * printed as {@code {"event":"message",...}} lines through the session. Thread-safe.
 */
public final class GossipRegistry {
  private GossipRegistry() {}

  /** The service on the context's host, starting it (with the context as event sink) the first time. */
  public static synchronized GossipsubService of(ServeContext ctx) {
    BasicHost host = ctx.host();
    GossipsubService s = host.service(GossipsubService.class).orElse(null);
    if (s == null) {
      // Every topic is scored with the defaults (topics are only known at run time); loopback peers
      // are exempt from the IP colocation penalty so local test networks behave.
      PeerScoreParams params = PeerScoreParams.defaults(Map.of()).withDefaultTopic(TopicScoreParams.defaults())
          .withIpColocationWhitelist(Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1"));
      s = host.install(GossipsubService.factory(GossipsubConfig.defaults(), params, PeerScoreThresholds.defaults(),
          (m, id, from) -> ctx.emit(messageEvent(m, id, from.toBase58()))));
    }
    return s;
  }

  static ObjectNode messageEvent(PubsubMessage m, MessageId id, String receivedFrom) {
    ObjectNode o = JSON.createObjectNode();
    o.put("event", "message");
    o.put("topic", m.topic());
    o.put("from", m.from() == null ? null : peerText(m.from()));
    o.put("seqno", seqnoText(m.seqno()));
    o.put("data", Base64.getEncoder().encodeToString(m.data() == null ? new byte[0] : m.data()));
    o.put("receivedFrom", receivedFrom);
    o.put("msgId", HexFormat.of().formatHex(id.bytes()));
    return o;
  }

  private static String peerText(byte[] from) {
    try {
      return dev.weft.p2p.api.PeerId.fromBytes(from).toBase58();
    } catch (IllegalArgumentException e) {
      return HexFormat.of().formatHex(from);
    }
  }

  /** The seqno as an unsigned decimal string (64-bit values do not survive JSON numbers in js). */
  static String seqnoText(byte[] seqno) {
    if (seqno == null) return null;
    if (seqno.length == 8) return Long.toUnsignedString(ByteBuffer.wrap(seqno).getLong());
    return HexFormat.of().formatHex(seqno);
  }
}
