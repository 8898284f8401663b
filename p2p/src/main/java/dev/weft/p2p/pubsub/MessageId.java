package dev.weft.p2p.pubsub;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The id of a pubsub message (pubsub README, "Message Identification"): opaque bytes computed by
 * a {@link MessageIdFunction}. Immutable; equality is by content.
 */
public final class MessageId {
  private final byte[] bytes;
  private final int hash;

  private MessageId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Wraps a copy of {@code bytes}. */
  public static MessageId of(byte[] bytes) {
    return new MessageId(bytes.clone());
  }

  /** Wraps {@code bytes} without copying; the caller must never modify the array afterwards. */
  static MessageId wrap(byte[] bytes) {
    return new MessageId(bytes);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  byte[] unsafeBytes() {
    return bytes;
  }

  @Override public boolean equals(Object o) {
    return o instanceof MessageId m && m.hash == hash && Arrays.equals(m.bytes, bytes);
  }

  @Override public int hashCode() {
    return hash;
  }

  @Override public String toString() {
    String hex = HexFormat.of().formatHex(bytes);
    return hex.length() > 24 ? "…" + hex.substring(hex.length() - 24) : hex;
  }
}
