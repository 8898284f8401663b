package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.pubsub.RpcLimits;
import dev.weft.p2p.pubsub.SignaturePolicy;

/**
 * Router parameters (gossipsub v1.0 "Parameters", v1.1 "Overview of New Parameters", v1.2).
 * Durations are milliseconds. {@link #defaults()} gives the spec's recommended values.
 *
 * @param d desired mesh degree (6)
 * @param dLo graft when the mesh is smaller (5)
 * @param dHi prune when the mesh is larger (12)
 * @param dScore peers kept by score when pruning an oversubscribed mesh (4)
 * @param dOut outbound peers kept in the mesh; below dLo and at most d/2 (2)
 * @param dLazy minimum number of peers gossip is emitted to (6)
 * @param gossipFactor share of eligible peers gossip is emitted to (0.25)
 * @param heartbeatIntervalMillis heartbeat period (1 s)
 * @param heartbeatInitialDelayMillis delay before the first heartbeat (100 ms)
 * @param fanoutTtlMillis fanout state of a topic we no longer publish to is dropped after this (60 s)
 * @param mcacheLen heartbeats of messages kept for IWANT (5)
 * @param mcacheGossip heartbeats of messages advertised in IHAVE (3)
 * @param seenTtlMillis how long a message id is remembered as seen (2 min)
 * @param pruneBackoffMillis backoff after a PRUNE (1 min)
 * @param unsubscribeBackoffMillis backoff sent with the PRUNEs of an unsubscribe (10 s)
 * @param graftFloodThresholdMillis a GRAFT this soon after our PRUNE earns an extra penalty (10 s)
 * @param prunePeers peers offered in PX with a PRUNE (16, more than dHi as the spec advises)
 * @param doPeerExchange whether our PRUNEs carry PX
 * @param floodPublish publish our own messages to every topic peer above the publish threshold (true)
 * @param maxIHaveLength message ids we request per peer per heartbeat through IWANT (5000)
 * @param maxIHaveMessages IHAVE entries accepted per peer per heartbeat (10)
 * @param iwantFollowupTimeMillis an IWANT not answered within this costs the advertiser P₇ (3 s)
 * @param gossipRetransmission how often we answer IWANTs for the same message from one peer (3)
 * @param opportunisticGraftTicks heartbeats between opportunistic graft checks (60)
 * @param opportunisticGraftPeers peers grafted by one opportunistic graft (2)
 * @param idontwantMinDataBytes forwarded messages at least this large trigger IDONTWANT (1 KiB)
 * @param maxIDontWantIdsPerHeartbeat IDONTWANT ids accepted per peer per heartbeat (1000)
 * @param idontwantTtlHeartbeats heartbeats an IDONTWANT is remembered (3)
 * @param maxPendingValidations validations in flight; further messages are ignored unpenalised (1024)
 * @param validationTimeoutMillis a validation not done by then counts as IGNORE (5 s)
 * @param signaturePolicy StrictSign (default) or StrictNoSign
 * @param limits decode bounds for inbound RPCs
 */
public record GossipsubConfig(
    int d, int dLo, int dHi, int dScore, int dOut, int dLazy, double gossipFactor,
    long heartbeatIntervalMillis, long heartbeatInitialDelayMillis, long fanoutTtlMillis,
    int mcacheLen, int mcacheGossip, long seenTtlMillis,
    long pruneBackoffMillis, long unsubscribeBackoffMillis, long graftFloodThresholdMillis,
    int prunePeers, boolean doPeerExchange, boolean floodPublish,
    int maxIHaveLength, int maxIHaveMessages, long iwantFollowupTimeMillis, int gossipRetransmission,
    int opportunisticGraftTicks, int opportunisticGraftPeers,
    int idontwantMinDataBytes, int maxIDontWantIdsPerHeartbeat, int idontwantTtlHeartbeats,
    int maxPendingValidations, long validationTimeoutMillis,
    SignaturePolicy signaturePolicy, RpcLimits limits) {

  public GossipsubConfig {
    if (d < 0 || dLo < 0 || dHi < 0 || dScore < 0 || dOut < 0 || dLazy < 0) throw new IllegalArgumentException("negative degree");
    if (!(dLo <= d && d <= dHi)) throw new IllegalArgumentException("need D_lo <= D <= D_hi: " + dLo + ", " + d + ", " + dHi);
    if (dScore > dHi) throw new IllegalArgumentException("D_score must be at most D_hi");
    if (d > 0 && !(dOut < dLo && dOut <= d / 2)) throw new IllegalArgumentException("D_out must be < D_lo and <= D/2: " + dOut);
    if (!(gossipFactor >= 0 && gossipFactor <= 1)) throw new IllegalArgumentException("gossipFactor must be in [0,1]");
    if (heartbeatIntervalMillis <= 0) throw new IllegalArgumentException("heartbeat interval must be positive");
    if (heartbeatInitialDelayMillis < 0 || fanoutTtlMillis <= 0 || seenTtlMillis <= 0) throw new IllegalArgumentException("bad durations");
    if (mcacheLen < 1 || mcacheGossip < 0 || mcacheGossip > mcacheLen) throw new IllegalArgumentException("need 0 <= mcacheGossip <= mcacheLen, mcacheLen >= 1");
    if (pruneBackoffMillis < 0 || unsubscribeBackoffMillis < 0 || graftFloodThresholdMillis < 0) throw new IllegalArgumentException("negative backoff");
    if (prunePeers < 0 || maxIHaveLength < 0 || maxIHaveMessages < 0 || gossipRetransmission < 0) throw new IllegalArgumentException("negative limit");
    if (iwantFollowupTimeMillis <= 0) throw new IllegalArgumentException("iwantFollowupTime must be positive");
    if (opportunisticGraftTicks < 1 || opportunisticGraftPeers < 0) throw new IllegalArgumentException("bad opportunistic graft settings");
    if (idontwantMinDataBytes < 0 || maxIDontWantIdsPerHeartbeat < 0 || idontwantTtlHeartbeats < 1) throw new IllegalArgumentException("bad IDONTWANT settings");
    if (maxPendingValidations < 1 || validationTimeoutMillis <= 0) throw new IllegalArgumentException("bad validation settings");
    if (signaturePolicy == null || limits == null) throw new IllegalArgumentException("signaturePolicy and limits are required");
  }

  public static GossipsubConfig defaults() {
    return new GossipsubConfig(6, 5, 12, 4, 2, 6, 0.25,
        1_000, 100, 60_000,
        5, 3, 120_000,
        60_000, 10_000, 10_000,
        16, true, true,
        5000, 10, 3_000, 3,
        60, 2,
        1024, 1000, 3,
        1024, 5_000,
        SignaturePolicy.STRICT_SIGN, RpcLimits.defaults());
  }

  public GossipsubConfig withDegrees(int d, int dLo, int dHi, int dScore, int dOut, int dLazy) {
    return new GossipsubConfig(d, dLo, dHi, dScore, dOut, dLazy, gossipFactor, heartbeatIntervalMillis, heartbeatInitialDelayMillis,
        fanoutTtlMillis, mcacheLen, mcacheGossip, seenTtlMillis, pruneBackoffMillis, unsubscribeBackoffMillis, graftFloodThresholdMillis,
        prunePeers, doPeerExchange, floodPublish, maxIHaveLength, maxIHaveMessages, iwantFollowupTimeMillis, gossipRetransmission,
        opportunisticGraftTicks, opportunisticGraftPeers, idontwantMinDataBytes, maxIDontWantIdsPerHeartbeat, idontwantTtlHeartbeats,
        maxPendingValidations, validationTimeoutMillis, signaturePolicy, limits);
  }

  public GossipsubConfig withFloodPublish(boolean flood) {
    return new GossipsubConfig(d, dLo, dHi, dScore, dOut, dLazy, gossipFactor, heartbeatIntervalMillis, heartbeatInitialDelayMillis,
        fanoutTtlMillis, mcacheLen, mcacheGossip, seenTtlMillis, pruneBackoffMillis, unsubscribeBackoffMillis, graftFloodThresholdMillis,
        prunePeers, doPeerExchange, flood, maxIHaveLength, maxIHaveMessages, iwantFollowupTimeMillis, gossipRetransmission,
        opportunisticGraftTicks, opportunisticGraftPeers, idontwantMinDataBytes, maxIDontWantIdsPerHeartbeat, idontwantTtlHeartbeats,
        maxPendingValidations, validationTimeoutMillis, signaturePolicy, limits);
  }

  public GossipsubConfig withSignaturePolicy(SignaturePolicy policy) {
    return new GossipsubConfig(d, dLo, dHi, dScore, dOut, dLazy, gossipFactor, heartbeatIntervalMillis, heartbeatInitialDelayMillis,
        fanoutTtlMillis, mcacheLen, mcacheGossip, seenTtlMillis, pruneBackoffMillis, unsubscribeBackoffMillis, graftFloodThresholdMillis,
        prunePeers, doPeerExchange, floodPublish, maxIHaveLength, maxIHaveMessages, iwantFollowupTimeMillis, gossipRetransmission,
        opportunisticGraftTicks, opportunisticGraftPeers, idontwantMinDataBytes, maxIDontWantIdsPerHeartbeat, idontwantTtlHeartbeats,
        maxPendingValidations, validationTimeoutMillis, policy, limits);
  }

  public GossipsubConfig withIDontWantMinDataBytes(int bytes) {
    return new GossipsubConfig(d, dLo, dHi, dScore, dOut, dLazy, gossipFactor, heartbeatIntervalMillis, heartbeatInitialDelayMillis,
        fanoutTtlMillis, mcacheLen, mcacheGossip, seenTtlMillis, pruneBackoffMillis, unsubscribeBackoffMillis, graftFloodThresholdMillis,
        prunePeers, doPeerExchange, floodPublish, maxIHaveLength, maxIHaveMessages, iwantFollowupTimeMillis, gossipRetransmission,
        opportunisticGraftTicks, opportunisticGraftPeers, bytes, maxIDontWantIdsPerHeartbeat, idontwantTtlHeartbeats,
        maxPendingValidations, validationTimeoutMillis, signaturePolicy, limits);
  }
}
