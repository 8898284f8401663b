package dev.weft.node.blocks;

/**
 * Limits, rates and timeouts of the block exchange, validated. Every resource a peer can make us
 * hold is bounded here: bytes per message, streams per peer and in all, bytes served per second,
 * bytes stored, downloads at once.
 *
 * @param chunkBytes chunk size of blobs we create (256 KiB: a manifest of a 1 GiB checkpoint is
 *     128 KiB, and one chunk is a fraction of a Yamux window's worth of time on a slow link)
 * @param maxChunkBytes largest chunk we accept in a manifest or a reply
 * @param maxManifestBytes largest manifest (1 MiB + header: 32,768 chunks)
 * @param maxBlobBytes largest blob we download or store
 * @param storeQuotaBytes the blob store refuses a new blob that would take it beyond this
 * @param requestTimeoutMillis a request without a full reply by then counts as a stall
 * @param inboundReadTimeoutMillis an inbound request must arrive complete within this
 * @param maxInboundStreamsPerPeer requests one peer may have open with us at once; more are reset
 * @param maxInboundStreamsTotal requests all peers together may have open; more are answered BUSY
 * @param serveBytesPerSecond what we serve in all (token bucket; 0: unlimited)
 * @param maxInFlightPerProvider chunk requests outstanding at one provider (keeps a rate-limited
 *     provider busy while a reply travels)
 * @param maxTimeoutsPerProvider a provider that stalls this often is dropped from the download
 * @param maxProvidersPerDownload providers one download uses
 * @param maxConcurrentDownloads downloads at once; more are refused
 * @param busyBackoffMillis how long a provider that answered BUSY is left alone
 */
public record BlocksConfig(
    int chunkBytes,
    int maxChunkBytes,
    int maxManifestBytes,
    long maxBlobBytes,
    long storeQuotaBytes,
    long requestTimeoutMillis,
    long inboundReadTimeoutMillis,
    int maxInboundStreamsPerPeer,
    int maxInboundStreamsTotal,
    long serveBytesPerSecond,
    int maxInFlightPerProvider,
    int maxTimeoutsPerProvider,
    int maxProvidersPerDownload,
    int maxConcurrentDownloads,
    long busyBackoffMillis) {
  /** Hard ceiling for any chunk: a reply must fit in one framed message (and an int). */
  public static final int CHUNK_CEILING_BYTES = 16 << 20;
  /** Hard ceiling for a manifest. */
  public static final int MANIFEST_CEILING_BYTES = 16 << 20;

  public BlocksConfig {
    check(maxChunkBytes >= BlobManifest.MIN_CHUNK_BYTES && maxChunkBytes <= CHUNK_CEILING_BYTES, "maxChunkBytes must be in [1 KiB, 16 MiB]: " + maxChunkBytes);
    check(chunkBytes >= BlobManifest.MIN_CHUNK_BYTES && chunkBytes <= maxChunkBytes, "chunkBytes must be in [1 KiB, maxChunkBytes]: " + chunkBytes);
    check(maxManifestBytes >= 64 && maxManifestBytes <= MANIFEST_CEILING_BYTES, "maxManifestBytes must be in [64, 16 MiB]: " + maxManifestBytes);
    check(maxBlobBytes >= 0, "maxBlobBytes must be >= 0");
    check(storeQuotaBytes > 0, "storeQuotaBytes must be positive");
    check(requestTimeoutMillis > 0 && inboundReadTimeoutMillis > 0, "timeouts must be positive");
    check(maxInboundStreamsPerPeer > 0 && maxInboundStreamsTotal >= maxInboundStreamsPerPeer, "inbound stream limits: 0 < per peer <= total");
    check(serveBytesPerSecond >= 0, "serveBytesPerSecond must be >= 0 (0: unlimited)");
    check(maxInFlightPerProvider > 0 && maxInFlightPerProvider <= 64, "maxInFlightPerProvider must be in [1, 64]");
    check(maxTimeoutsPerProvider > 0, "maxTimeoutsPerProvider must be positive");
    check(maxProvidersPerDownload > 0 && maxProvidersPerDownload <= 1024, "maxProvidersPerDownload must be in [1, 1024]");
    check(maxConcurrentDownloads > 0, "maxConcurrentDownloads must be positive");
    check(busyBackoffMillis >= 0, "busyBackoffMillis must be >= 0");
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }

  public static BlocksConfig defaults() {
    return new BlocksConfig(256 << 10, 1 << 20, (1 << 20) + 64, 16L << 30, 64L << 30, 10_000, 5_000, 8, 64, 0, 4, 2, 32, 8, 1_000);
  }

  /** Largest framed reply: a chunk or a manifest plus the message header. */
  public int maxReplyBytes() {
    return Math.max(maxChunkBytes, maxManifestBytes) + BlocksCodec.MAX_HEADER_BYTES;
  }

  public BlocksConfig withChunkBytes(int v) {
    return new BlocksConfig(v, maxChunkBytes, maxManifestBytes, maxBlobBytes, storeQuotaBytes, requestTimeoutMillis, inboundReadTimeoutMillis,
        maxInboundStreamsPerPeer, maxInboundStreamsTotal, serveBytesPerSecond, maxInFlightPerProvider, maxTimeoutsPerProvider,
        maxProvidersPerDownload, maxConcurrentDownloads, busyBackoffMillis);
  }

  public BlocksConfig withServeBytesPerSecond(long v) {
    return new BlocksConfig(chunkBytes, maxChunkBytes, maxManifestBytes, maxBlobBytes, storeQuotaBytes, requestTimeoutMillis, inboundReadTimeoutMillis,
        maxInboundStreamsPerPeer, maxInboundStreamsTotal, v, maxInFlightPerProvider, maxTimeoutsPerProvider,
        maxProvidersPerDownload, maxConcurrentDownloads, busyBackoffMillis);
  }

  public BlocksConfig withRequestTimeoutMillis(long v) {
    return new BlocksConfig(chunkBytes, maxChunkBytes, maxManifestBytes, maxBlobBytes, storeQuotaBytes, v, inboundReadTimeoutMillis,
        maxInboundStreamsPerPeer, maxInboundStreamsTotal, serveBytesPerSecond, maxInFlightPerProvider, maxTimeoutsPerProvider,
        maxProvidersPerDownload, maxConcurrentDownloads, busyBackoffMillis);
  }

  public BlocksConfig withStoreQuotaBytes(long v) {
    return new BlocksConfig(chunkBytes, maxChunkBytes, maxManifestBytes, maxBlobBytes, v, requestTimeoutMillis, inboundReadTimeoutMillis,
        maxInboundStreamsPerPeer, maxInboundStreamsTotal, serveBytesPerSecond, maxInFlightPerProvider, maxTimeoutsPerProvider,
        maxProvidersPerDownload, maxConcurrentDownloads, busyBackoffMillis);
  }

  public BlocksConfig withInboundStreams(int perPeer, int total) {
    return new BlocksConfig(chunkBytes, maxChunkBytes, maxManifestBytes, maxBlobBytes, storeQuotaBytes, requestTimeoutMillis, inboundReadTimeoutMillis,
        perPeer, total, serveBytesPerSecond, maxInFlightPerProvider, maxTimeoutsPerProvider,
        maxProvidersPerDownload, maxConcurrentDownloads, busyBackoffMillis);
  }

  public BlocksConfig withMaxChunkBytes(int v) {
    return new BlocksConfig(chunkBytes, v, maxManifestBytes, maxBlobBytes, storeQuotaBytes, requestTimeoutMillis, inboundReadTimeoutMillis,
        maxInboundStreamsPerPeer, maxInboundStreamsTotal, serveBytesPerSecond, maxInFlightPerProvider, maxTimeoutsPerProvider,
        maxProvidersPerDownload, maxConcurrentDownloads, busyBackoffMillis);
  }

  public BlocksConfig withMaxBlobBytes(long v) {
    return new BlocksConfig(chunkBytes, maxChunkBytes, maxManifestBytes, v, storeQuotaBytes, requestTimeoutMillis, inboundReadTimeoutMillis,
        maxInboundStreamsPerPeer, maxInboundStreamsTotal, serveBytesPerSecond, maxInFlightPerProvider, maxTimeoutsPerProvider,
        maxProvidersPerDownload, maxConcurrentDownloads, busyBackoffMillis);
  }

  public BlocksConfig withMaxConcurrentDownloads(int v) {
    return new BlocksConfig(chunkBytes, maxChunkBytes, maxManifestBytes, maxBlobBytes, storeQuotaBytes, requestTimeoutMillis, inboundReadTimeoutMillis,
        maxInboundStreamsPerPeer, maxInboundStreamsTotal, serveBytesPerSecond, maxInFlightPerProvider, maxTimeoutsPerProvider,
        maxProvidersPerDownload, v, busyBackoffMillis);
  }
}
