package dev.weft.dht.store;

/**
 * A value we hold for a key: the bytes, when we received them (wall clock, so the age survives a
 * restart), and whether we authored it (own values are republished).
 */
public record StoredRecord(byte[] value, long receivedAtEpochMillis, boolean own) {
  public StoredRecord {
    value = value.clone();
  }

  @Override public byte[] value() {
    return value.clone();
  }
}
