package dev.weft.dht;

import dev.weft.dht.record.InvalidRecordException;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.StoredRecord;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The values this node stores, over a {@link DhtStore}: every value is validated before it is
 * stored and again before it is served (it may have expired meanwhile); a newer value replaces an
 * older one only if the namespace selector prefers it; records age out {@code recordTtl} after
 * receipt unless they are our own. Every record stored for another peer counts against that
 * peer's quota and the total ({@link DhtLimits}, {@link QuotaLedger}): a peer over its quota
 * pushes out its own oldest records, never someone else's. The first peer to store a record
 * keeps paying for it while it lives, even if another peer stores the same (or a better) value
 * later: otherwise a flooder could re-store an honest record, make it its own, and then evict it
 * as its own oldest. Not thread-safe: DHT scheduler.
 */
public final class RecordBook {
  private final DhtStore store;
  private final ValidatorRegistry validators;
  private final WallClock wall;
  private final DhtConfig config;
  private final Predicate<PeerId> trusted;
  private final QuotaLedger ledger;

  /** A book whose quota eviction trusts nobody in particular (tests). */
  public RecordBook(DhtStore store, ValidatorRegistry validators, WallClock wall, DhtConfig config) {
    this(store, validators, wall, config, p -> false);
  }

  /**
   * Opens the book over {@code store}, rebuilding the quota ledger from what it holds (oldest first).
   *
   * @param trusted peers verified by contact and not misbehaving: evicted last when the total is full
   */
  public RecordBook(DhtStore store, ValidatorRegistry validators, WallClock wall, DhtConfig config, Predicate<PeerId> trusted) {
    this.store = store;
    this.validators = validators;
    this.wall = wall;
    this.config = config;
    this.trusted = trusted;
    DhtLimits l = config.limits();
    this.ledger = new QuotaLedger(l.maxRecords(), l.maxRecordBytes(), l.maxRecordsPerPeer(), l.maxRecordBytesPerPeer());
    List<Object[]> held = new ArrayList<>();
    store.forEachRecord((k, r) -> {
      if (!r.own()) held.add(new Object[] {k, r});
    });
    held.sort(Comparator.comparingLong(o -> ((StoredRecord) o[1]).receivedAtEpochMillis()));
    for (Object[] o : held) {
      byte[] k = (byte[]) o[0];
      StoredRecord r = (StoredRecord) o[1];
      ledger.add(holder(r), k, cost(k, r.value()));
    }
  }

  static long cost(byte[] key, byte[] value) {
    return (long) key.length + value.length + QuotaLedger.ENTRY_OVERHEAD_BYTES;
  }

  private static PeerId holder(StoredRecord r) {
    return r.storedBy() == null ? QuotaLedger.UNATTRIBUTED : r.storedBy();
  }

  /** What {@link #put} did. */
  public enum PutOutcome { STORED, KEPT_BETTER, FULL }

  /** Validates and stores our own {@code value}: republished, counted against no quota. */
  public PutOutcome putOwn(byte[] key, byte[] value) throws InvalidRecordException {
    return put(key, value, true, null);
  }

  /** Validates and stores {@code value} that {@code from} sent us, within {@code from}'s quota. */
  public PutOutcome putFrom(PeerId from, byte[] key, byte[] value) throws InvalidRecordException {
    return put(key, value, false, from);
  }

  /**
   * Validates and stores {@code value}; keeps the stored one if the selector prefers it.
   *
   * @throws InvalidRecordException if the value is invalid (the sender misbehaved)
   */
  public PutOutcome put(byte[] key, byte[] value, boolean own) throws InvalidRecordException {
    return put(key, value, own, null);
  }

  private PutOutcome put(byte[] key, byte[] value, boolean own, PeerId from) throws InvalidRecordException {
    long now = wall.epochMillis();
    validators.validate(key, value, now);
    Optional<StoredRecord> existing = get(key);
    if (existing.isPresent()) {
      byte[] old = existing.get().value();
      if (validators.select(key, List.of(old, value)) == 0 && !Arrays.equals(old, value)) return PutOutcome.KEPT_BETTER;
      if (Arrays.equals(old, value) && !own) return PutOutcome.STORED;
      own |= existing.get().own();
    }
    if (own) {
      existing.ifPresent(r -> ledger.remove(holder(r), key));
      store.putRecord(key, new StoredRecord(value, now, true, null));
      return PutOutcome.STORED;
    }
    PeerId payer = existing.map(RecordBook::holder).orElse(from == null ? QuotaLedger.UNATTRIBUTED : from);
    long cost = cost(key, value);
    QuotaLedger.Admission a = ledger.admit(payer, key, cost, trusted);
    List<QuotaLedger.Eviction> evicted = switch (a) {
      case QuotaLedger.Admission.Admitted ad -> ad.evictions();
      case QuotaLedger.Admission.Refused r -> r.evictions();
    };
    for (QuotaLedger.Eviction e : evicted) store.deleteRecord(e.id());
    if (a instanceof QuotaLedger.Admission.Refused) return PutOutcome.FULL;
    ledger.add(payer, key, cost);
    store.putRecord(key, new StoredRecord(value, now, false, payer.equals(QuotaLedger.UNATTRIBUTED) ? null : payer));
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
      delete(key, r.get());
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
    List<Object[]> dead = new ArrayList<>();
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
      if (aged || invalid) dead.add(new Object[] {k, r});
    });
    for (Object[] d : dead) delete((byte[]) d[0], (StoredRecord) d[1]);
    return dead.size();
  }

  private void delete(byte[] key, StoredRecord r) {
    if (!r.own()) ledger.remove(holder(r), key);
    store.deleteRecord(key);
  }

  public long size() {
    return store.recordCount();
  }

  /** What {@code peer} has stored with us. */
  public QuotaLedger.Usage usage(PeerId peer) {
    return ledger.usage(peer);
  }

  /** Accounted bytes of every record stored for others. */
  public long accountedBytes() {
    return ledger.totalBytes();
  }
}
