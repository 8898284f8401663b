package dev.weft.p2p.protocol.io;

/** A peer announced or sent a message over the protocol's size limit. */
public final class MessageTooLargeException extends ProtocolViolationException {
  public MessageTooLargeException(String message) {
    super(message);
  }
}
