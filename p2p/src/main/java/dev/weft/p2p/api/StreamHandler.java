package dev.weft.p2p.api;

import io.netty.buffer.ByteBuf;

/** Receives one stream's events, on the stream's connection thread (see {@link Stream}). */
public interface StreamHandler {
  /** Inbound bytes. {@code data} is borrowed: valid during the call only; retain it to keep it. */
  void onData(Stream stream, ByteBuf data);

  /** The remote half-closed (no more data will come); we may still write. */
  default void onRemoteClosed(Stream stream) {}

  /** The stream ended: closed both ways ({@code cause} null) or reset / failed (cause given). */
  default void onClosed(Stream stream, Throwable cause) {}
}
