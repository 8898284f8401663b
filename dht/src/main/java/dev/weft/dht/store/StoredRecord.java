package dev.weft.dht.store;

import dev.weft.p2p.api.PeerId;

/**
 * A value we hold for a key: the bytes, when we received them (wall clock, so the age survives a
 * restart), whether we authored it (own values are republished and count against no quota), and
 * which peer stored it with us (its quota pays for it; null for our own and for entries written
 * before storers were recorded).
 */
public record StoredRecord(byte[] value, long receivedAtEpochMillis, boolean own, PeerId storedBy) {
  public StoredRecord {
    value = value.clone();
  }

  public StoredRecord(byte[] value, long receivedAtEpochMillis, boolean own) {
    this(value, receivedAtEpochMillis, own, null);
  }

  @Override public byte[] value() {
    return value.clone();
  }
}
