package dev.weft.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.multiformats.Multiaddr;

/**
 * The JSON document behind {@code GET /api/status} and the dashboard. Fields (stable; new ones may
 * be added):
 *
 * <pre>
 * {"peerId": "12D3KooW...", "addrs": ["/ip4/.../tcp/..."],
 *  "peers": [{"peer": "...", "addr": "...", "direction": "inbound|outbound", "type": "direct|relayed"}],
 *  "training": {"round": 12, "phase": "training|waiting|sealing|idle", "loss": [[round, loss], ...],
 *               "lastContribution": {"round": 11, "fate": "included", "reason": "..."} | null}}
 * </pre>
 *
 * <p>A connection is {@code relayed} when its remote address goes through {@code /p2p-circuit}.
 */
public final class NodeStatus {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Host host;
  private final TrainingStatus training;

  public NodeStatus(Host host, TrainingStatus training) {
    this.host = host;
    this.training = training;
  }

  public Host host() {
    return host;
  }

  public TrainingStatus training() {
    return training;
  }

  /** Whether {@code c} runs through a relay. */
  public static boolean relayed(Connection c) {
    return c.remoteAddress().toString().contains("/p2p-circuit");
  }

  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("peerId", host.peerId().toBase58());
    ArrayNode addrs = o.putArray("addrs");
    for (Multiaddr a : host.listenAddresses()) addrs.add(a.toString());
    ArrayNode peers = o.putArray("peers");
    for (Connection c : host.connections()) {
      ObjectNode p = peers.addObject();
      p.put("peer", c.remotePeer().toBase58());
      p.put("addr", c.remoteAddress().toString());
      p.put("direction", c.isInitiator() ? "outbound" : "inbound");
      p.put("type", relayed(c) ? "relayed" : "direct");
    }
    TrainingStatus.Snapshot t = training.snapshot();
    ObjectNode tr = o.putObject("training");
    tr.put("round", t.round());
    tr.put("phase", t.phase());
    ArrayNode loss = tr.putArray("loss");
    for (TrainingStatus.LossPoint p : t.loss()) loss.addArray().add(p.round()).add(p.validationLoss());
    if (t.lastContribution() == null) {
      tr.putNull("lastContribution");
    } else {
      ObjectNode c = tr.putObject("lastContribution");
      c.put("round", t.lastContribution().round());
      c.put("fate", t.lastContribution().fate());
      c.put("reason", t.lastContribution().reason());
    }
    return o;
  }
}
