package dev.weft.p2p.transport;

import dev.weft.p2p.api.ProtocolHandler;
import java.util.List;

/**
 * Answers multistream-select on inbound streams: which protocols we support and who handles each.
 * Implemented by the host over its registered handlers; thread-safe.
 */
public interface StreamRouter {
  /** Protocol ids we accept, for `ls` and identify. */
  List<String> protocols();

  /** The handler for {@code protocolId}, or null if we don't speak it (multistream answers `na`). */
  ProtocolHandler handler(String protocolId);
}
