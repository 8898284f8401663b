package dev.weft.p2p.multiformats;

/**
 * Converts one multiaddr component's value between text and bytes. {@link #toBytes} and {@link
 * #validate} throw {@link IllegalArgumentException} on bad input; {@link #toText} is only called
 * on validated bytes and never throws.
 */
interface ValueCodec {
  byte[] toBytes(String text);

  String toText(byte[] value);

  /** Checks a value decoded from bytes so that printing it and parsing the text gives it back. */
  void validate(byte[] value);
}
