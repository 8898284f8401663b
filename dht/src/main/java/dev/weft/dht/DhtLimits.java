package dev.weft.dht;

import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.MultiaddrBytes;

/**
 * Everything a remote peer can make a DHT node hold or do, bounded: storage per peer and in
 * total, addresses per provider record, requests per second, and the size of the answers we
 * write. Validated on construction; {@link #defaults()} documents the values we ship.
 *
 * <p>Why per-peer quotas and not only totals: a total alone lets one peer fill it and then every
 * honest write is refused (or, with eviction, an honest entry is pushed out). With per-peer
 * quotas a flooder's new entry evicts the flooder's own oldest entry, and the total is never
 * reached unless more than {@link #floodersToFillRecords()} (64 with the defaults) identities
 * flood at once; past that the least-trusted, heaviest holder loses its oldest entry first (see
 * {@link QuotaLedger}).
 *
 * <p>"Bytes" are accounted bytes: key, value (or provider id and addresses) plus
 * {@link QuotaLedger#ENTRY_OVERHEAD_BYTES} per entry, so a flood of tiny entries also counts.
 * Entries we author are not counted (they are ours to republish).
 *
 * @param maxRecords records stored for others, in total
 * @param maxRecordBytes accounted bytes of records stored for others, in total
 * @param maxRecordsPerPeer records one remote peer may have stored with us
 * @param maxRecordBytesPerPeer accounted record bytes one remote peer may have stored with us
 * @param maxProviderRecords provider records, in total
 * @param maxProviderBytes accounted bytes of provider records, in total
 * @param maxProviderRecordsPerPeer provider records one peer may have (one per key it provides)
 * @param maxProviderBytesPerPeer accounted provider bytes one peer may have
 * @param maxProvidersPerKey providers kept for one key
 * @param maxAddrsPerProvider addresses kept per provider record (the first ones that pass the length limit)
 * @param maxAddrBytes longest address kept in a provider record; longer ones are dropped
 * @param requestsPerSecond sustained requests one peer may make (token bucket refill rate)
 * @param requestBurst requests one peer may make at once (bucket size)
 * @param maxRateTrackedPeers peers whose buckets are kept; the one idle longest is forgotten
 *     (a forgotten bucket is a full one, so forgetting never lets anyone exceed the rate)
 * @param maxAnswerBytes largest answer body we write: the reader limit our peers enforce
 *     ({@link DhtCodec#MAX_MESSAGE_BYTES} for weft; js and go read up to 4 MiB)
 * @param answerAddrsPerPeer addresses sent per peer in an answer
 */
public record DhtLimits(
    long maxRecords,
    long maxRecordBytes,
    int maxRecordsPerPeer,
    long maxRecordBytesPerPeer,
    long maxProviderRecords,
    long maxProviderBytes,
    int maxProviderRecordsPerPeer,
    long maxProviderBytesPerPeer,
    int maxProvidersPerKey,
    int maxAddrsPerProvider,
    int maxAddrBytes,
    double requestsPerSecond,
    int requestBurst,
    int maxRateTrackedPeers,
    int maxAnswerBytes,
    int answerAddrsPerPeer) {
  public static final long KIB = 1024;
  public static final long MIB = 1024 * KIB;
  /** The smallest answer we could always build: a record of the largest size plus room for a few peers. */
  static final int MIN_ANSWER_BYTES = DhtCodec.MAX_VALUE_BYTES + 2 * DhtCodec.MAX_KEY_BYTES + 1024;

  public DhtLimits {
    if (maxRecords <= 0 || maxRecordBytes <= 0 || maxRecordsPerPeer <= 0 || maxRecordBytesPerPeer <= 0 || maxProviderRecords <= 0
        || maxProviderBytes <= 0 || maxProviderRecordsPerPeer <= 0 || maxProviderBytesPerPeer <= 0 || maxProvidersPerKey <= 0
        || maxAddrsPerProvider < 0 || maxAddrBytes <= 0 || requestBurst <= 0 || maxRateTrackedPeers <= 0 || answerAddrsPerPeer < 0) {
      throw new IllegalArgumentException("DHT limits must be positive");
    }
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) throw new IllegalArgumentException("requestsPerSecond must be a positive number: " + requestsPerSecond);
    if (maxRecordsPerPeer > maxRecords || maxRecordBytesPerPeer > maxRecordBytes) throw new IllegalArgumentException("a per-peer record quota exceeds the total");
    if (maxProviderRecordsPerPeer > maxProviderRecords || maxProviderBytesPerPeer > maxProviderBytes) {
      throw new IllegalArgumentException("a per-peer provider quota exceeds the total");
    }
    if (maxRecordBytesPerPeer < DhtCodec.MAX_VALUE_BYTES + DhtCodec.MAX_KEY_BYTES + QuotaLedger.ENTRY_OVERHEAD_BYTES) {
      throw new IllegalArgumentException("maxRecordBytesPerPeer must hold at least one record of the largest size");
    }
    if (maxAddrBytes > MultiaddrBytes.MAX_BYTES) throw new IllegalArgumentException("maxAddrBytes above what the codec accepts: " + maxAddrBytes);
    if (maxProviderBytesPerPeer < (long) maxAddrsPerProvider * maxAddrBytes + 2L * DhtCodec.MAX_KEY_BYTES + QuotaLedger.ENTRY_OVERHEAD_BYTES) {
      throw new IllegalArgumentException("maxProviderBytesPerPeer must hold at least one provider record of the largest size");
    }
    if (maxAnswerBytes < MIN_ANSWER_BYTES) throw new IllegalArgumentException("maxAnswerBytes below " + MIN_ANSWER_BYTES + ": a maximal record would not fit");
    if (answerAddrsPerPeer > DhtCodec.MAX_ADDRS_PER_PEER) throw new IllegalArgumentException("answerAddrsPerPeer above the codec's " + DhtCodec.MAX_ADDRS_PER_PEER);
  }

  /**
   * The shipped limits. Per remote peer: 256 records / 1 MiB and 8,192 provider records / 2 MiB,
   * so one peer can make us hold at most 3 MiB of accounted bytes however much it sends. In total:
   * 100,000 records / 64 MiB and 1,000,000 provider records / 128 MiB. Provider records keep 16
   * addresses of at most 256 bytes (real multiaddrs, even webtransport with two certhashes, are
   * under 200). 50 requests a second per peer with bursts of 500 (a refresh or republish of a few
   * hundred keys fits; a flood does not). Answers fit weft's 64 KiB reader with 8 addresses per peer.
   */
  public static DhtLimits defaults() {
    return new DhtLimits(100_000, 64 * MIB, 256, MIB, 1_000_000, 128 * MIB, 8_192, 2 * MIB, 100, 16, 256, 50, 500, 10_000,
        DhtCodec.MAX_MESSAGE_BYTES, 8);
  }

  /** Identities that must each fill their record quota before the record total is reached. */
  public long floodersToFillRecords() {
    return Math.min(maxRecords / maxRecordsPerPeer, maxRecordBytes / maxRecordBytesPerPeer);
  }

  /** Identities that must each fill their provider quota before the provider total is reached. */
  public long floodersToFillProviders() {
    return Math.min(maxProviderRecords / maxProviderRecordsPerPeer, maxProviderBytes / maxProviderBytesPerPeer);
  }

  public DhtLimits withRequestRate(double perSecond, int burst) {
    return new DhtLimits(maxRecords, maxRecordBytes, maxRecordsPerPeer, maxRecordBytesPerPeer, maxProviderRecords, maxProviderBytes,
        maxProviderRecordsPerPeer, maxProviderBytesPerPeer, maxProvidersPerKey, maxAddrsPerProvider, maxAddrBytes, perSecond, burst,
        maxRateTrackedPeers, maxAnswerBytes, answerAddrsPerPeer);
  }

  public DhtLimits withRecordQuotas(long total, long totalBytes, int perPeer, long perPeerBytes) {
    return new DhtLimits(total, totalBytes, perPeer, perPeerBytes, maxProviderRecords, maxProviderBytes,
        maxProviderRecordsPerPeer, maxProviderBytesPerPeer, maxProvidersPerKey, maxAddrsPerProvider, maxAddrBytes, requestsPerSecond, requestBurst,
        maxRateTrackedPeers, maxAnswerBytes, answerAddrsPerPeer);
  }

  public DhtLimits withProviderQuotas(long total, long totalBytes, int perPeer, long perPeerBytes, int perKey) {
    return new DhtLimits(maxRecords, maxRecordBytes, maxRecordsPerPeer, maxRecordBytesPerPeer, total, totalBytes,
        perPeer, perPeerBytes, perKey, maxAddrsPerProvider, maxAddrBytes, requestsPerSecond, requestBurst,
        maxRateTrackedPeers, maxAnswerBytes, answerAddrsPerPeer);
  }

  public DhtLimits withProviderAddrs(int perProvider, int maxBytes) {
    return new DhtLimits(maxRecords, maxRecordBytes, maxRecordsPerPeer, maxRecordBytesPerPeer, maxProviderRecords, maxProviderBytes,
        maxProviderRecordsPerPeer, maxProviderBytesPerPeer, maxProvidersPerKey, perProvider, maxBytes, requestsPerSecond, requestBurst,
        maxRateTrackedPeers, maxAnswerBytes, answerAddrsPerPeer);
  }
}
