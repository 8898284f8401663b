package dev.weft.p2p.api;

/**
 * What a protocol does with a freshly negotiated inbound stream. Registered on a {@link Host} by
 * protocol id; called on the stream's connection thread, so it must not block: install a
 * {@link StreamHandler} and return.
 */
@FunctionalInterface
public interface ProtocolHandler {
  void handle(Stream stream);
}
