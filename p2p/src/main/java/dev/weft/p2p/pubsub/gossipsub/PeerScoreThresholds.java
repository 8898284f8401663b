package dev.weft.p2p.pubsub.gossipsub;

/**
 * Score thresholds (gossipsub v1.1, "Score Thresholds"), validated as the spec constrains them.
 *
 * @param gossip below it no gossip goes to or is taken from the peer (&lt; 0)
 * @param publish below it our own messages are not flood-published to the peer (&lt;= gossip)
 * @param graylist below it every RPC of the peer is ignored (&lt; publish)
 * @param acceptPX PX from a peer is followed only above it (&gt;= 0)
 * @param opportunisticGraft a mesh whose median score is below it gets better peers grafted (&gt;= 0)
 */
public record PeerScoreThresholds(double gossip, double publish, double graylist, double acceptPX, double opportunisticGraft) {
  public PeerScoreThresholds {
    if (!(gossip < 0)) throw new IllegalArgumentException("gossip threshold must be negative");
    if (!(publish <= gossip)) throw new IllegalArgumentException("publish threshold must be <= gossip threshold");
    if (!(graylist < publish)) throw new IllegalArgumentException("graylist threshold must be < publish threshold");
    if (!(acceptPX >= 0)) throw new IllegalArgumentException("acceptPX threshold must be >= 0");
    if (!(opportunisticGraft >= 0)) throw new IllegalArgumentException("opportunistic graft threshold must be >= 0");
  }

  /**
   * Defaults sized to {@link PeerScoreParams#defaults()}: a second invalid message in a topic (P₄ = 2² × -10 = -40)
   * stops gossip with a peer, a third (-90) graylists it; PX only from peers that earned some standing.
   */
  public static PeerScoreThresholds defaults() {
    return new PeerScoreThresholds(-10, -50, -80, 10, 1);
  }
}
