package dev.weft.p2p.api;

import dev.weft.p2p.multiformats.Multiaddr;

/**
 * Decides which peers a host may be connected to, whatever its limits would admit: a firewall in
 * the host, for tests that cut a network in two (the testnet's {@code --partition}), block lists
 * and private networks. The host asks it
 *
 * <ul>
 *   <li>before every dial ({@link #refuseDial}): a refused dial fails with a
 *       {@link GatedException} naming the reason, and nothing touches the network;
 *   <li>once a connection's remote peer has authenticated, inbound or outbound
 *       ({@link #refuseConnection}): a refused connection is closed before it enters the host's
 *       table (no {@link HostEvent.PeerConnected}), counted, and a dial that made it fails;
 *   <li>for every open connection when told its rules changed ({@code BasicHost.regate()}): the
 *       ones it now refuses are closed. The host cannot know when a gater's answer changes, so the
 *       owner of the rules says so.
 * </ul>
 *
 * <p>Answers are {@code null} to allow, or the reason to refuse (it goes into the log and the
 * failed dial). Called on transport and caller threads, with the host's connection table locked
 * for {@link #refuseConnection}: implementations must be thread-safe, quick, and must not call
 * back into the host.
 */
public interface ConnectionGater {
  /** Allows everything: the default. */
  ConnectionGater ALLOW_ALL = new ConnectionGater() {
    @Override public String toString() {
      return "ConnectionGater.ALLOW_ALL";
    }
  };

  /**
   * Why the host must not dial {@code address}, or null to let it.
   *
   * @param peer the peer the address names ({@code /p2p/...}), or null when it names none (the
   *     connection is then still checked by {@link #refuseConnection} once the peer is known)
   */
  default String refuseDial(PeerId peer, Multiaddr address) {
    return null;
  }

  /** Why the host must not keep {@code connection} (its remote peer authenticated), or null to keep it. */
  default String refuseConnection(Connection connection) {
    return null;
  }
}
