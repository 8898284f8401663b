package dev.weft.p2p.pubsub;

/**
 * Bounds applied while decoding an RPC, before anything is allocated for an entry beyond them. An
 * RPC that exceeds any of them is rejected as a whole ({@link MalformedRpcException}) and counted
 * against its sender.
 *
 * @param maxRpcBytes largest encoded RPC accepted (the length prefix is checked against it first)
 * @param maxDataBytes largest message payload
 * @param maxSubscriptions SubOpts entries per RPC
 * @param maxMessages published/forwarded messages per RPC
 * @param maxControlEntries GRAFT, PRUNE, IHAVE, IWANT and IDONTWANT entries per RPC, each kind
 * @param maxIHaveIds message ids in all IHAVE entries of one RPC together
 * @param maxIWantIds message ids in all IWANT entries of one RPC together
 * @param maxIDontWantIds message ids in all IDONTWANT entries of one RPC together
 * @param maxPrunePeers PX entries per PRUNE
 * @param maxTopicBytes length of a topic id
 * @param maxMessageIdBytes length of a message id in control messages
 * @param maxFieldBytes length of {@code from}, {@code seqno}, {@code key}, {@code signature}, peer
 *     ids and signed peer records
 */
public record RpcLimits(
    int maxRpcBytes,
    int maxDataBytes,
    int maxSubscriptions,
    int maxMessages,
    int maxControlEntries,
    int maxIHaveIds,
    int maxIWantIds,
    int maxIDontWantIds,
    int maxPrunePeers,
    int maxTopicBytes,
    int maxMessageIdBytes,
    int maxFieldBytes) {

  /** 1 MiB payloads (the size the pubsub spec suggests) ... */
  public static final int DEFAULT_MAX_DATA_BYTES = 1 << 20;
  /** ... plus 64 KiB for the envelope, signature, key and piggybacked control. */
  public static final int DEFAULT_MAX_RPC_BYTES = DEFAULT_MAX_DATA_BYTES + (64 << 10);
  /** go-libp2p-pubsub's default max IHAVE length; one heartbeat's worth of gossip fits. */
  public static final int DEFAULT_MAX_IDS = 5000;
  /** Enough for every topic of a node several times over; more in one RPC is abuse. */
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 1024;
  /** Small messages batched into one 1 MiB RPC stay well below this. */
  public static final int DEFAULT_MAX_MESSAGES = 4096;
  public static final int DEFAULT_MAX_CONTROL_ENTRIES = 1024;
  /** Above D_hi (12) with room; go sends 16 by default. */
  public static final int DEFAULT_MAX_PRUNE_PEERS = 64;
  public static final int DEFAULT_MAX_TOPIC_BYTES = 1024;
  /** js ids are from(38)+seqno(8); hashes are 32; 256 leaves room for application id functions. */
  public static final int DEFAULT_MAX_MESSAGE_ID_BYTES = 256;
  /** An RSA-4096 public key protobuf is about 550 bytes, its signature 512; signed peer records with several addresses fit too. */
  public static final int DEFAULT_MAX_FIELD_BYTES = 4096;

  public RpcLimits {
    positive("maxRpcBytes", maxRpcBytes);
    positive("maxDataBytes", maxDataBytes);
    positive("maxSubscriptions", maxSubscriptions);
    positive("maxMessages", maxMessages);
    positive("maxControlEntries", maxControlEntries);
    positive("maxIHaveIds", maxIHaveIds);
    positive("maxIWantIds", maxIWantIds);
    positive("maxIDontWantIds", maxIDontWantIds);
    positive("maxPrunePeers", maxPrunePeers);
    positive("maxTopicBytes", maxTopicBytes);
    positive("maxMessageIdBytes", maxMessageIdBytes);
    positive("maxFieldBytes", maxFieldBytes);
    if (maxDataBytes > maxRpcBytes) throw new IllegalArgumentException("maxDataBytes " + maxDataBytes + " > maxRpcBytes " + maxRpcBytes);
  }

  public static RpcLimits defaults() {
    return new RpcLimits(DEFAULT_MAX_RPC_BYTES, DEFAULT_MAX_DATA_BYTES, DEFAULT_MAX_SUBSCRIPTIONS, DEFAULT_MAX_MESSAGES,
        DEFAULT_MAX_CONTROL_ENTRIES, DEFAULT_MAX_IDS, DEFAULT_MAX_IDS, DEFAULT_MAX_IDS, DEFAULT_MAX_PRUNE_PEERS,
        DEFAULT_MAX_TOPIC_BYTES, DEFAULT_MAX_MESSAGE_ID_BYTES, DEFAULT_MAX_FIELD_BYTES);
  }

  public RpcLimits withMaxRpcBytes(int bytes) {
    return new RpcLimits(bytes, Math.min(maxDataBytes, bytes), maxSubscriptions, maxMessages, maxControlEntries, maxIHaveIds,
        maxIWantIds, maxIDontWantIds, maxPrunePeers, maxTopicBytes, maxMessageIdBytes, maxFieldBytes);
  }

  private static void positive(String name, int v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be positive: " + v);
  }
}
