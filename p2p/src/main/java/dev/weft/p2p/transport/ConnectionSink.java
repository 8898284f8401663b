package dev.weft.p2p.transport;

import dev.weft.p2p.api.Connection;

/** Where a listening transport hands inbound connections, and how their streams are routed. */
public interface ConnectionSink {
  /** Routes the inbound streams of connections accepted by this listener. */
  StreamRouter router();

  /**
   * An inbound connection is ready (remote authenticated). The sink may close it at once (limits).
   * Called on the connection's event loop.
   */
  void accepted(Connection connection);
}
