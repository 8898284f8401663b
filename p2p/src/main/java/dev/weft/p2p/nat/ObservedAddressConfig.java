package dev.weft.p2p.nat;

/**
 * Limits of the {@link ObservedAddressBook}. Validated on construction.
 *
 * @param minObserverGroups distinct observer groups (an IPv4 /16 or an IPv6 /32, see
 *     {@link ObserverGroup}) that must report an address before it is confirmed. go-libp2p uses 4;
 *     a peer controls one group cheaply, many groups only with many networks.
 * @param ttlMillis how long one observation counts: NAT mappings of home routers change on
 *     reboot or lease renewal, so an old word is worth little after half an hour
 * @param maxVotes observations held at once (one per observer and local address), bounding memory
 *     whatever peers claim; the group with most votes loses its oldest one first when full
 */
public record ObservedAddressConfig(int minObserverGroups, long ttlMillis, int maxVotes) {
  /** 3 groups (the AutoNAT specs' "more than 3 peers" is for dial-backs; this only nominates), 30 min, 1024 votes. */
  public static final ObservedAddressConfig DEFAULT = new ObservedAddressConfig(3, 30 * 60_000L, 1024);

  public ObservedAddressConfig {
    if (minObserverGroups < 1) throw new IllegalArgumentException("minObserverGroups must be >= 1: " + minObserverGroups);
    if (ttlMillis <= 0) throw new IllegalArgumentException("ttlMillis must be positive: " + ttlMillis);
    if (maxVotes < 1) throw new IllegalArgumentException("maxVotes must be >= 1: " + maxVotes);
  }
}
