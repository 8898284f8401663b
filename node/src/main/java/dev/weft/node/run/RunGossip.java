package dev.weft.node.run;

import dev.weft.dht.record.PubKeyDecoder;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.pubsub.ValidationResult;
import dev.weft.p2p.pubsub.gossipsub.GossipsubService;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Signed manifests on the gossipsub topic {@value #TOPIC}: a new run reaches the peers online at
 * once, without a DHT lookup. A message is the record's key and value, each uvarint-length-prefixed;
 * the topic validator checks it like the DHT would ({@link SignedManifest#verify}) and REJECTs
 * (the sender is scored down) anything that does not verify, so a forged manifest goes no further
 * than the first hop.
 */
public final class RunGossip {
  public static final String TOPIC = "weft/runs/1";
  /** A message holds one signed record: its key and a value of at most 16 KiB. */
  public static final int MAX_MESSAGE_BYTES = 17 * 1024;

  private RunGossip() {}

  public static byte[] encode(SignedManifest.Signed s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(s.key().length, out);
    out.writeBytes(s.key());
    Varint.write(s.value().length, out);
    out.writeBytes(s.value());
    return out.toByteArray();
  }

  /** The key and value in a message, or empty when it is not one. */
  static Optional<byte[][]> decode(byte[] data) {
    if (data == null || data.length > MAX_MESSAGE_BYTES) return Optional.empty();
    try {
      Varint.Decoded k = Varint.decode(data, 0);
      int ks = k.length();
      if (k.value() > data.length - ks) return Optional.empty();
      byte[] key = Arrays.copyOfRange(data, ks, ks + (int) k.value());
      int vpos = ks + (int) k.value();
      Varint.Decoded v = Varint.decode(data, vpos);
      int vs = vpos + v.length();
      if (v.value() != data.length - vs) return Optional.empty();
      return Optional.of(new byte[][] {key, Arrays.copyOfRange(data, vs, data.length)});
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Verifies a message; empty when it does not decode or verify. */
  public static Optional<SignedManifest.Signed> verify(byte[] data, long nowEpochMillis, PubKeyDecoder keys) {
    Optional<byte[][]> kv = decode(data);
    if (kv.isEmpty()) return Optional.empty();
    try {
      return Optional.of(SignedManifest.verify(kv.get()[0], kv.get()[1], nowEpochMillis, keys));
    } catch (InvalidManifestException e) {
      return Optional.empty();
    }
  }

  /** Subscribes {@code gossip} to the topic with the validator installed (a peer that forwards forgeries is scored down). */
  public static CompletableFuture<Void> join(GossipsubService gossip, LongSupplier epochMillis, PubKeyDecoder keys) {
    return gossip.setValidator(TOPIC, (from, msg) -> CompletableFuture.completedFuture(
        verify(msg.data(), epochMillis.getAsLong(), keys).isPresent() ? ValidationResult.ACCEPT : ValidationResult.REJECT))
        .thenCompose(v -> gossip.subscribe(TOPIC));
  }

  /** Publishes {@code s} on the topic. */
  public static CompletableFuture<?> publish(GossipsubService gossip, SignedManifest.Signed s) {
    return gossip.publish(TOPIC, encode(s));
  }

}
