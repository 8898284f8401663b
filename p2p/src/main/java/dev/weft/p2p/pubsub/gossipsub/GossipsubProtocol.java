package dev.weft.p2p.pubsub.gossipsub;

import java.util.List;

/** Pubsub protocol ids a peer may speak, newest first, with the features each brings. */
public enum GossipsubProtocol {
  /** v1.2: IDONTWANT. */
  MESHSUB_V12("/meshsub/1.2.0"),
  /** v1.1: PRUNE backoff and peer exchange. */
  MESHSUB_V11("/meshsub/1.1.0"),
  MESHSUB_V10("/meshsub/1.0.0"),
  /** Plain flooding: such peers get every message of their topics and no control messages. */
  FLOODSUB("/floodsub/1.0.0");

  public final String id;

  GossipsubProtocol(String id) {
    this.id = id;
  }

  /** Ids in order of preference, for multistream-select. */
  public static List<String> ids() {
    return List.of(MESHSUB_V12.id, MESHSUB_V11.id, MESHSUB_V10.id, FLOODSUB.id);
  }

  public static GossipsubProtocol fromId(String id) {
    for (GossipsubProtocol p : values()) if (p.id.equals(id)) return p;
    throw new IllegalArgumentException("not a pubsub protocol: " + id);
  }

  public boolean isGossipsub() {
    return this != FLOODSUB;
  }

  /** PRUNE backoff and PX fields are understood. */
  public boolean supportsPeerExchange() {
    return this == MESHSUB_V11 || this == MESHSUB_V12;
  }

  public boolean supportsIDontWant() {
    return this == MESHSUB_V12;
  }
}
