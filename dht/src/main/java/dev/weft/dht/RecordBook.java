package dev.weft.dht;

import dev.weft.dht.record.InvalidRecordException;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The values this node stores, over a {@link DhtStore}: every value is validated before it is
 * stored and again before it is served (it may have expired meanwhile); a newer value replaces an
 * older one only if the namespace selector prefers it; records age out {@code recordTtl} after
 * receipt unless they are our own. Not thread-safe: DHT scheduler.
 */
public final class RecordBook {
  private final DhtStore store;
  private final ValidatorRegistry validators;
  private final WallClock wall;
  private final DhtConfig config;

  public RecordBook(DhtStore store, ValidatorRegistry validators, WallClock wall, DhtConfig config) {
    this.store = store;
    this.validators = validators;
    this.wall = wall;
    this.config = config;
  }

  /** What {@link #put} did. */
  public enum PutOutcome { STORED, KEPT_BETTER, FULL }

  /**
   * Validates and stores {@code value}; keeps the stored one if the selector prefers it.
   *
   * @throws InvalidRecordException if the value is invalid (the sender misbehaved)
   */
  public PutOutcome put(byte[] key, byte[] value, boolean own) throws InvalidRecordException {
    long now = wall.epochMillis();
    validators.validate(key, value, now);
    Optional<StoredRecord> existing = get(key);
    if (existing.isPresent()) {
      byte[] old = existing.get().value();
      if (validators.select(key, List.of(old, value)) == 0 && !java.util.Arrays.equals(old, value)) return PutOutcome.KEPT_BETTER;
      own |= existing.get().own();
    } else if (store.recordCount() >= config.maxRecords()) {
      return PutOutcome.FULL;
    }
    store.putRecord(key, new StoredRecord(value, now, own));
    return PutOutcome.STORED;
  }

  /**
   * The stored value if it has not expired or aged out; drops it otherwise. Values were fully
   * validated when stored, so this checks only time (no signature per read); {@link #sweep}
   * re-validates everything periodically.
   */
  public Optional<StoredRecord> get(byte[] key) {
    Optional<StoredRecord> r = store.getRecord(key);
    if (r.isEmpty()) return r;
    long now = wall.epochMillis();
    boolean aged = !r.get().own() && now - r.get().receivedAtEpochMillis() > config.recordTtlMillis();
    if (aged || validators.expiresAt(key, r.get().value()) <= now) {
      store.deleteRecord(key);
      return Optional.empty();
    }
    return r;
  }

  /** Our own records (to republish). */
  public List<byte[][]> ownRecords() {
    List<byte[][]> out = new ArrayList<>();
    store.forEachRecord((k, r) -> {
      if (r.own()) out.add(new byte[][] {k, r.value()});
    });
    return out;
  }

  /** Drops records that expired or aged out; returns how many. */
  public int sweep() {
    List<byte[]> dead = new ArrayList<>();
    long now = wall.epochMillis();
    store.forEachRecord((k, r) -> {
      boolean aged = !r.own() && now - r.receivedAtEpochMillis() > config.recordTtlMillis();
      boolean invalid = false;
      if (!aged) {
        try {
          validators.validate(k, r.value(), now);
        } catch (InvalidRecordException e) {
          invalid = true;
        }
      }
      if (aged || invalid) dead.add(k);
    });
    dead.forEach(store::deleteRecord);
    return dead.size();
  }

  public long size() {
    return store.recordCount();
  }
}
