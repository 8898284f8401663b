package dev.weft.p2p.protocol.autonat;

/**
 * How {@link Reachability} weighs dial-back results. Validated on construction.
 *
 * @param confirmations agreeing servers needed to call an address public or private (the specs
 *     suggest "more than 3"; 3 by default, lower only in tests and tiny networks)
 * @param resultTtlMillis how long one server's result counts: home routers change addresses and
 *     forwarding rules, so results are re-earned
 * @param maxAddresses addresses tracked; the least recently tested is forgotten first
 * @param maxServersPerAddress results kept per address, one per server, oldest dropped first
 */
public record ReachabilityConfig(int confirmations, long resultTtlMillis, int maxAddresses, int maxServersPerAddress) {
  public static final ReachabilityConfig DEFAULT = new ReachabilityConfig(3, 60 * 60_000L, 64, 8);

  public ReachabilityConfig {
    if (confirmations < 1) throw new IllegalArgumentException("confirmations must be >= 1: " + confirmations);
    if (resultTtlMillis <= 0) throw new IllegalArgumentException("resultTtlMillis must be positive: " + resultTtlMillis);
    if (maxAddresses < 1) throw new IllegalArgumentException("maxAddresses must be >= 1: " + maxAddresses);
    if (maxServersPerAddress < confirmations) {
      throw new IllegalArgumentException("maxServersPerAddress (" + maxServersPerAddress + ") must be >= confirmations (" + confirmations + ")");
    }
  }
}
