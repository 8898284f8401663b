package dev.weft.node.blocks;

/** Bytes from a peer that are not a valid block-exchange message or manifest: the peer misbehaved. */
public final class BlocksDecodeException extends Exception {
  public BlocksDecodeException(String message) {
    super(message);
  }
}
