package dev.weft.dht;

import dev.weft.dht.lookup.LookupConfig;

/**
 * A DHT node's parameters, validated. Times are milliseconds.
 *
 * @param protocolId stream protocol ({@link #WEFT_PROTOCOL} by default, {@link #IPFS_PROTOCOL} for interop)
 * @param mode server or client
 * @param lookup k, α, per-request timeout, disjoint paths for lookups that ask for them
 * @param quorum valid values a GET collects before it stops early
 * @param refreshIntervalMillis stale buckets are refreshed this often (spec default 10 min)
 * @param recordTtlMillis a stored (not own) record is dropped this long after receipt
 * @param providerTtlMillis provider records expire after this (spec: 48 h)
 * @param providerAddrTtlMillis provider addresses are served this long (spec: 30 min), then only the id
 * @param republishIntervalMillis own records and provides are republished this often (spec: 22 h)
 * @param limits what one peer, and all peers together, can make us store and do ({@link DhtLimits})
 * @param maxRefreshCpl deepest bucket refreshed with a random key (2^(cpl+1) hashes to find one)
 */
public record DhtConfig(
    String protocolId,
    DhtMode mode,
    LookupConfig lookup,
    int quorum,
    long refreshIntervalMillis,
    long recordTtlMillis,
    long providerTtlMillis,
    long providerAddrTtlMillis,
    long republishIntervalMillis,
    DhtLimits limits,
    int maxRefreshCpl) {
  public static final String WEFT_PROTOCOL = "/weft/kad/1.0.0";
  public static final String IPFS_PROTOCOL = "/ipfs/kad/1.0.0";
  public static final long MINUTE = 60_000L;
  public static final long HOUR = 60 * MINUTE;

  public DhtConfig {
    if (protocolId == null || !protocolId.startsWith("/")) throw new IllegalArgumentException("protocol id must start with '/': " + protocolId);
    if (quorum <= 0 || refreshIntervalMillis <= 0 || recordTtlMillis <= 0 || providerTtlMillis <= 0 || providerAddrTtlMillis < 0
        || republishIntervalMillis <= 0) {
      throw new IllegalArgumentException("DHT limits and intervals must be positive");
    }
    if (limits == null) throw new IllegalArgumentException("limits required");
    if (republishIntervalMillis >= providerTtlMillis) throw new IllegalArgumentException("republish must come before provider records expire");
    if (maxRefreshCpl < 0 || maxRefreshCpl > 20) throw new IllegalArgumentException("maxRefreshCpl in [0, 20]");
  }

  public static DhtConfig defaults() {
    return new DhtConfig(WEFT_PROTOCOL, DhtMode.SERVER, LookupConfig.defaults(), 1, 10 * MINUTE, 36 * HOUR, 48 * HOUR, 30 * MINUTE, 22 * HOUR,
        DhtLimits.defaults(), 15);
  }

  public DhtConfig withMode(DhtMode m) {
    return new DhtConfig(protocolId, m, lookup, quorum, refreshIntervalMillis, recordTtlMillis, providerTtlMillis, providerAddrTtlMillis,
        republishIntervalMillis, limits, maxRefreshCpl);
  }

  public DhtConfig withProtocolId(String id) {
    return new DhtConfig(id, mode, lookup, quorum, refreshIntervalMillis, recordTtlMillis, providerTtlMillis, providerAddrTtlMillis,
        republishIntervalMillis, limits, maxRefreshCpl);
  }

  public DhtConfig withLookup(LookupConfig l) {
    return new DhtConfig(protocolId, mode, l, quorum, refreshIntervalMillis, recordTtlMillis, providerTtlMillis, providerAddrTtlMillis,
        republishIntervalMillis, limits, maxRefreshCpl);
  }

  public DhtConfig withRefreshInterval(long millis) {
    return new DhtConfig(protocolId, mode, lookup, quorum, millis, recordTtlMillis, providerTtlMillis, providerAddrTtlMillis,
        republishIntervalMillis, limits, maxRefreshCpl);
  }

  public DhtConfig withMaxRefreshCpl(int cpl) {
    return new DhtConfig(protocolId, mode, lookup, quorum, refreshIntervalMillis, recordTtlMillis, providerTtlMillis, providerAddrTtlMillis,
        republishIntervalMillis, limits, cpl);
  }

  public DhtConfig withQuorum(int q) {
    return new DhtConfig(protocolId, mode, lookup, q, refreshIntervalMillis, recordTtlMillis, providerTtlMillis, providerAddrTtlMillis,
        republishIntervalMillis, limits, maxRefreshCpl);
  }

  public DhtConfig withLimits(DhtLimits l) {
    return new DhtConfig(protocolId, mode, lookup, quorum, refreshIntervalMillis, recordTtlMillis, providerTtlMillis, providerAddrTtlMillis,
        republishIntervalMillis, l, maxRefreshCpl);
  }

  public DhtConfig withTtls(long recordTtl, long providerTtl, long republishInterval) {
    return new DhtConfig(protocolId, mode, lookup, quorum, refreshIntervalMillis, recordTtl, providerTtl, providerAddrTtlMillis,
        republishInterval, limits, maxRefreshCpl);
  }
}
