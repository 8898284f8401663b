package dev.weft.dht.record;

import java.util.List;

/**
 * The rules of one key namespace (kad-dht spec, "Entry validation"). Both methods are pure and
 * thread-safe; they run on the DHT scheduler for every PUT_VALUE received and every value a
 * GET_VALUE lookup collects.
 */
public interface Validator {
  /**
   * Accepts or rejects {@code value} for {@code key} at wall-clock time {@code nowEpochMillis}.
   *
   * @throws InvalidRecordException with the reason when the value must not be stored or used
   */
  void validate(byte[] key, byte[] value, long nowEpochMillis) throws InvalidRecordException;

  /**
   * The index of the best of {@code values} (all valid for {@code key}). Must be stable: the same
   * set in any order gives the same winning value.
   */
  int select(byte[] key, List<byte[]> values);

  /**
   * When a value this validator accepted stops being valid (wall-clock epoch millis), read cheaply
   * without re-checking signatures; {@code Long.MAX_VALUE} when it never expires by itself.
   */
  default long expiresAt(byte[] key, byte[] value) {
    return Long.MAX_VALUE;
  }
}
