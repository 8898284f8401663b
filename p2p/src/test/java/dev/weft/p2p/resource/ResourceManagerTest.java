package dev.weft.p2p.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The manager's decisions without I/O. Every test must leave nothing reserved: {@link #nothingLeaks}
 * fails a test whose scopes are not all closed, so a missing release cannot pass.
 */
class ResourceManagerTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final List<AutoCloseable> open = new ArrayList<>();
  ResourceManager rm;

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static final PeerId[] PEERS = new PeerId[10];

  static synchronized PeerId peer(int n) {
    if (PEERS[n] == null) PEERS[n] = PeerId.fromPublicKey(Ed25519.fromSeedNumber(n).publicKey());
    return PEERS[n];
  }

  ResourceManager manager(ResourceLimits l) {
    rm = new ResourceManager(l, now::get);
    return rm;
  }

  ConnectionScope admitted(String source) {
    ResourceManager.Admission a = rm.admitInbound(ip(source));
    assertThat(a).as("admission of " + source).isInstanceOf(ResourceManager.Admission.Admitted.class);
    ConnectionScope s = ((ResourceManager.Admission.Admitted) a).scope();
    open.add(s);
    return s;
  }

  String refusal(String source) {
    ResourceManager.Admission a = rm.admitInbound(ip(source));
    assertThat(a).as("admission of " + source).isInstanceOf(ResourceManager.Admission.Refused.class);
    return ((ResourceManager.Admission.Refused) a).reason();
  }

  @AfterEach void nothingLeaks() throws Exception {
    for (AutoCloseable c : open) c.close();
    if (rm == null) return;
    ResourceSnapshot s = rm.snapshot();
    assertThat(s.connections()).as("connections left reserved").isZero();
    assertThat(s.pendingInbound()).isZero();
    assertThat(s.streams()).as("streams left reserved").isZero();
    assertThat(s.bufferedBytes()).as("bytes left reserved").isZero();
  }

  @Test void limitsAreValidatedWithTheirNames() {
    assertThatThrownBy(() -> ResourceLimits.DEFAULT.withPendingShares(0, 4)).hasMessageContaining("maxPendingPerIp");
    assertThatThrownBy(() -> ResourceLimits.DEFAULT.withPendingShares(16, 8)).hasMessageContaining("maxPendingPerIp must not exceed maxPendingPerSubnet");
    assertThatThrownBy(() -> ResourceLimits.DEFAULT.withHandshakeTimeouts(1_000, 2_000, 0.5)).hasMessageContaining("UnderPressure");
    assertThatThrownBy(() -> ResourceLimits.DEFAULT.withHandshakeTimeouts(1_000, 500, 0)).hasMessageContaining("pressureThreshold");
    assertThatThrownBy(() -> ResourceLimits.DEFAULT.withBufferLimits(10, 10, 5)).hasMessageContaining("maxBufferedTotal");
    assertThatThrownBy(() -> ResourceLimits.DEFAULT.withConnectionLimits(300, 20, 400, 1)).hasMessageContaining("maxConnectionsPerSubnet");
    assertThat(ResourceLimits.DEFAULT.withMaxPendingInbound(4).maxPendingPerIp()).isEqualTo(4);
  }

  @Test void oneSourceGetsOnlyItsShareOfPendingSlots() {
    manager(ResourceLimits.DEFAULT);
    for (int i = 0; i < ResourceLimits.DEFAULT.maxPendingPerIp(); i++) admitted("10.0.0.1");
    assertThat(refusal("10.0.0.1")).contains("10.0.0.1").contains("share");
    admitted("10.0.0.2"); // same /24, own address: still room in the subnet's share
    admitted("192.168.5.5");
    assertThat(rm.snapshot().refusedConnections()).isEqualTo(1);
  }

  @Test void oneSubnetGetsOnlyItsShare() {
    manager(ResourceLimits.DEFAULT.withPendingShares(2, 4));
    for (int i = 1; i <= 4; i++) admitted("10.0.0." + i);
    assertThat(refusal("10.0.0.9")).contains("10.0.0.0/24");
    admitted("10.0.1.1");
  }

  @Test void ipv6CountsPerSlash48AndMappedIpv4IsIpv4() {
    manager(ResourceLimits.DEFAULT.withPendingShares(2, 3));
    admitted("2001:db8:1:1::1");
    admitted("2001:db8:1:2::1");
    admitted("2001:db8:1:ffff::7");
    assertThat(refusal("2001:db8:1::42")).contains("/48");
    admitted("2001:db8:2::1");
    admitted("10.1.1.1");
    admitted("::ffff:10.1.1.1");
    assertThat(refusal("10.1.1.1")).contains("10.1.1.1");
    assertThat(rm.connectionsFrom(ip("::ffff:10.1.1.1"))).isEqualTo(2);
  }

  @Test void whenPendingIsFullTheBiggestSubnetsOldestIsShed() {
    manager(ResourceLimits.DEFAULT.withMaxPendingInbound(6).withPendingShares(4, 4));
    ConnectionScope first = admitted("10.0.0.1");
    admitted("10.0.0.1");
    admitted("10.0.0.1");
    admitted("10.0.0.1");
    admitted("10.0.1.1");
    admitted("10.0.1.1");
    ResourceManager.Admission a = rm.admitInbound(ip("10.0.2.1"));
    assertThat(a).isInstanceOf(ResourceManager.Admission.Admitted.class);
    var admitted = (ResourceManager.Admission.Admitted) a;
    open.add(admitted.scope());
    assertThat(admitted.shed()).containsExactly(first);
    assertThat(first.isReleased()).isTrue();
    assertThat(rm.snapshot().shedConnections()).isEqualTo(1);
    // Now 10.0.0/24 holds 3, 10.0.1/24 2, 10.0.2/24 1: a newcomer of the biggest subnet sheds nobody.
    assertThat(refusal("10.0.0.2")).contains("pending handshakes at the limit");
  }

  @Test void legacyLimitsRefuseEveryoneOnceOneSourceFillsThem() {
    manager(ResourceLimits.legacy());
    for (int i = 0; i < 256; i++) admitted("10.0.0.1");
    assertThat(refusal("192.168.1.1")).contains("pending handshakes at the limit (256)");
  }

  @Test void handshakeDeadlineShrinksUnderPressure() {
    manager(ResourceLimits.DEFAULT.withMaxPendingInbound(8).withPendingShares(8, 8));
    ConnectionScope early = admitted("10.0.0.1");
    now.addAndGet(3_000);
    assertThat(rm.handshakeTimeoutMillis()).isEqualTo(10_000);
    assertThat(rm.overdue(early)).isFalse();
    for (int i = 0; i < 4; i++) admitted("10.0.1.1");
    // 5 of 8 pending: over half, so 2 s applies and the 3 s old connection is overdue.
    assertThat(rm.handshakeTimeoutMillis()).isEqualTo(2_000);
    assertThat(rm.overdue(early)).isTrue();
    rm.handshakeTimedOut(early);
    assertThat(rm.snapshot().handshakeTimeouts()).isEqualTo(1);
    assertThat(rm.snapshot().pendingInbound()).isEqualTo(4);
    assertThat(rm.overdue(early)).isFalse();
  }

  @Test void upgradedConnectionsCountPerPeerAndIdleUnidentifiedOnesAreShedWhenFull() throws Exception {
    manager(ResourceLimits.DEFAULT.withMaxPendingInbound(4).withConnectionLimits(4, 4, 4, 2).withPendingShares(4, 4));
    ConnectionScope a = admitted("10.0.0.1");
    ConnectionScope b = admitted("10.0.0.1");
    ConnectionScope c = admitted("10.0.0.1");
    a.upgraded(peer(1), 1);
    b.upgraded(peer(1), 2);
    assertThatThrownBy(() -> c.upgraded(peer(1), 3)).isInstanceOf(LimitExceededException.class).hasMessageContaining("connections of");
    c.close();
    rm.identified(peer(1));
    ConnectionScope d = admitted("10.0.1.1");
    d.upgraded(peer(2), 4);
    ConnectionScope e = admitted("10.0.2.1");
    e.upgraded(peer(3), 5);
    // Full (4): the newcomer sheds the oldest unidentified idle one, d (peer 1's are identified).
    var adm = (ResourceManager.Admission.Admitted) rm.admitInbound(ip("10.0.3.1"));
    open.add(adm.scope());
    assertThat(adm.shed()).containsExactly(d);
    // A stream open on e protects it: nothing else to shed, so the next one is refused.
    try (StreamScope s = rm.openInboundStream(5, peer(3), "/x")) {
      assertThat(refusal("10.0.4.1")).contains("connections at the limit (4)");
    }
  }

  @Test void outboundReservationsShareTheTotalAndThePeerLimitAndAreNeverShed() throws Exception {
    manager(ResourceLimits.DEFAULT.withMaxPendingInbound(3).withConnectionLimits(3, 3, 3, 1).withPendingShares(3, 3));
    ConnectionScope out1 = rm.reserveOutbound("/ip4/10.9.0.1/tcp/1");
    open.add(out1);
    ConnectionScope out2 = rm.reserveOutbound("/ip4/10.9.0.2/tcp/1");
    open.add(out2);
    assertThat(out1.isOutbound()).isTrue();
    assertThat(out1.source()).isNull();
    assertThat(rm.snapshot().pendingInbound()).as("a dial takes no inbound handshake slot").isZero();
    out1.upgraded(peer(1), 1);
    ConnectionScope in = admitted("10.0.0.1");
    assertThatThrownBy(() -> rm.reserveOutbound("/ip4/10.9.0.3/tcp/1")).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("outbound dial to /ip4/10.9.0.3/tcp/1 refused: connections at the limit (3, of which 2 ours)");
    assertThat(rm.refusedDials()).isEqualTo(1);
    // Full, and out1 is upgraded, idle and unidentified: an inbound newcomer still may not shed it
    // (the inbound one, identified, is not a candidate either; unidentified, it would be: see below).
    in.upgraded(peer(2), 2);
    rm.identified(peer(1));
    rm.identified(peer(2));
    assertThat(refusal("10.0.1.1")).contains("connections at the limit (3)");
    // The per-peer limit applies to a connection we dialled as to one we accepted.
    assertThatThrownBy(() -> out2.upgraded(peer(1), 3)).hasMessageContaining("connections of");
    out2.close();
    assertThat(rm.snapshot().connections()).isEqualTo(2);
    rm.reserveOutbound("/ip4/10.9.0.3/tcp/1").close();
  }

  @Test void controlAnIdleUnidentifiedInboundConnectionInTheSameSpotIsShed() throws Exception {
    manager(ResourceLimits.DEFAULT.withMaxPendingInbound(3).withConnectionLimits(3, 3, 3, 1).withPendingShares(3, 3));
    ConnectionScope out = rm.reserveOutbound("/ip4/10.9.0.1/tcp/1");
    open.add(out);
    out.upgraded(peer(1), 1);
    ConnectionScope idle = admitted("10.0.0.1");
    idle.upgraded(peer(3), 2);
    ConnectionScope in = admitted("10.0.0.2");
    in.upgraded(peer(2), 3);
    rm.identified(peer(1));
    rm.identified(peer(2));
    var adm = (ResourceManager.Admission.Admitted) rm.admitInbound(ip("10.0.1.1"));
    open.add(adm.scope());
    assertThat(adm.shed()).containsExactly(idle);
  }

  @Test void withoutAnAllowlistOneLoopbackSourceIsHeldToItsShare() {
    manager(ResourceLimits.DEFAULT);
    for (int i = 0; i < ResourceLimits.DEFAULT.maxPendingPerIp(); i++) admitted("127.0.0.1");
    assertThat(refusal("127.0.0.1")).contains("pending handshakes from 127.0.0.1 at its share (8)").contains("allowlist");
  }

  @Test void anAllowlistedLoopbackSourceTakesNoShareButTheTotalsHold() throws Exception {
    ResourceLimits l = ResourceLimits.DEFAULT.withMaxPendingInbound(100).withConnectionLimits(150, 64, 128, 4)
        .withShedWhenFull(false).withAllowlist(AddressPrefix.LOOPBACK);
    manager(l);
    // 100 handshakes at once from 127.0.0.1 (its share would be 8), then upgraded: 100 connections (its limit would be 64).
    List<ConnectionScope> lo = new ArrayList<>();
    for (int i = 0; i < 100; i++) lo.add(admitted("127.0.0.1"));
    assertThat(rm.snapshot().pendingInbound()).isEqualTo(100);
    for (int i = 0; i < 100; i++) lo.get(i).upgraded(PeerId.fromPublicKey(Ed25519.fromSeedNumber(100 + i).publicKey()), i);
    for (int i = 0; i < 50; i++) admitted(i % 2 == 0 ? "127.0.0.1" : "::1");
    assertThat(rm.connectionsFrom(ip("127.0.0.1"))).isEqualTo(125);
    assertThat(refusal("127.0.0.1")).as("the total still holds").contains("connections at the limit (150)");
    // A source off the list keeps its share.
    open.forEach(c -> ((ConnectionScope) c).close());
    open.clear();
    for (int i = 0; i < 8; i++) admitted("10.0.0.1");
    assertThat(refusal("10.0.0.1")).contains("at its share (8)").doesNotContain("allowlist");
  }

  @Test void streamLimitsPerConnectionProtocolAndPeer() throws Exception {
    manager(ResourceLimits.DEFAULT.withStreamLimits(2, 3, 4));
    List<StreamScope> streams = new ArrayList<>();
    try {
      streams.add(rm.openInboundStream(1, peer(1), "/a"));
      streams.add(rm.openInboundStream(1, peer(1), "/a"));
      assertThatThrownBy(() -> rm.openInboundStream(1, peer(1), "/b")).hasMessageContaining("on connection 1");
      streams.add(rm.openInboundStream(2, peer(1), "/a"));
      assertThatThrownBy(() -> rm.openInboundStream(3, peer(2), "/a")).hasMessageContaining("for /a");
      streams.add(rm.openInboundStream(2, peer(1), "/b"));
      assertThatThrownBy(() -> rm.openInboundStream(3, peer(1), "/c")).hasMessageContaining("from " + peer(1));
      streams.remove(0).close();
      streams.add(rm.openInboundStream(3, peer(1), "/c"));
      assertThat(rm.snapshot().streams()).isEqualTo(4);
      assertThat(rm.snapshot().refusedStreams()).isEqualTo(3);
    } finally {
      for (StreamScope s : streams) s.close();
    }
  }

  @Test void bufferLimitsPerPeerProtocolAndHost() throws Exception {
    manager(ResourceLimits.DEFAULT.withBufferLimits(100, 150, 200));
    try (StreamScope a = rm.openInboundStream(1, peer(1), "/a");
         StreamScope b = rm.openInboundStream(2, peer(2), "/a");
         StreamScope c = rm.openInboundStream(3, peer(3), "/c")) {
      a.reserveMemory(100);
      assertThatThrownBy(() -> a.reserveMemory(1)).hasMessageContaining("of " + peer(1));
      assertThatThrownBy(() -> b.reserveMemory(51)).hasMessageContaining("for /a");
      b.reserveMemory(50);
      assertThatThrownBy(() -> c.reserveMemory(51)).hasMessageContaining("host-wide");
      a.releaseMemory(60);
      c.reserveMemory(51);
      assertThat(rm.snapshot().bufferedBytes()).isEqualTo(40 + 50 + 51);
      // Releasing more than held returns only what is held.
      b.releaseMemory(1_000);
      assertThat(b.reservedBytes()).isZero();
    }
    // A muxer's charge counts even past the limit and says so; uncharging returns it.
    assertThat(rm.chargeBuffer(peer(9), "/m", 150)).isFalse();
    assertThat(rm.bufferedBy(peer(9))).isEqualTo(150);
    rm.unchargeBuffer(peer(9), "/m", 150);
    assertThat(rm.chargeBuffer(peer(9), null, 100)).isTrue();
    rm.unchargeBuffer(peer(9), null, 100);
  }

  @Test void closingTwiceOrAfterSheddingReleasesOnce() throws Exception {
    manager(ResourceLimits.DEFAULT);
    ConnectionScope s = admitted("10.0.0.1");
    s.close();
    s.close();
    assertThat(rm.snapshot().connections()).isZero();
    assertThatThrownBy(() -> s.upgraded(peer(1), 1)).hasMessageContaining("shed");
    StreamScope st = rm.openInboundStream(1, peer(1), "/a");
    st.reserveMemory(10);
    st.close();
    st.close();
    assertThat(rm.snapshot().streams()).isZero();
    assertThat(rm.snapshot().bufferedBytes()).isZero();
  }

  /** Random admissions, upgrades, streams, charges and closes (seeded): no limit is ever passed, all returns to zero. */
  @Test void randomOperationsNeverPassALimitAndReleaseToZero() throws Exception {
    long seed = Long.getLong("rcmgr.seed", 20261202L);
    Random r = new Random(seed);
    ResourceLimits l = ResourceLimits.DEFAULT.withMaxPendingInbound(12).withPendingShares(3, 5)
        .withConnectionLimits(20, 6, 10, 2).withStreamLimits(3, 8, 5).withBufferLimits(300, 400, 600);
    manager(l);
    List<ConnectionScope> conns = new ArrayList<>();
    List<StreamScope> streams = new ArrayList<>();
    String why = "seed " + seed + " (rerun: -Drcmgr.seed=" + seed + ")";
    for (int step = 0; step < 5_000; step++) {
      switch (r.nextInt(6)) {
        case 0 -> {
          if (rm.admitInbound(ip("10.0." + r.nextInt(4) + "." + r.nextInt(3))) instanceof ResourceManager.Admission.Admitted a) {
            conns.add(a.scope());
            conns.removeAll(a.shed());
          }
        }
        case 1 -> {
          if (!conns.isEmpty()) {
            ConnectionScope c = conns.get(r.nextInt(conns.size()));
            if (c.isPending()) {
              try {
                c.upgraded(peer(r.nextInt(5)), step);
              } catch (LimitExceededException e) {
                c.close();
                conns.remove(c);
              }
            }
          }
        }
        case 2 -> {
          if (!conns.isEmpty()) conns.remove(r.nextInt(conns.size())).close();
        }
        case 3 -> {
          try {
            streams.add(rm.openInboundStream(r.nextInt(6), peer(r.nextInt(5)), "/p" + r.nextInt(3)));
          } catch (LimitExceededException ignored) {
            // refused: fine
          }
        }
        case 4 -> {
          if (!streams.isEmpty()) {
            StreamScope s = streams.get(r.nextInt(streams.size()));
            try {
              s.reserveMemory(r.nextInt(120));
            } catch (LimitExceededException ignored) {
              s.releaseMemory(r.nextInt(120));
            }
          }
        }
        default -> {
          if (!streams.isEmpty()) streams.remove(r.nextInt(streams.size())).close();
        }
      }
      ResourceSnapshot s = rm.snapshot();
      assertThat(s.pendingInbound()).as(why).isLessThanOrEqualTo(l.maxPendingInbound());
      assertThat(s.connections()).as(why).isLessThanOrEqualTo(l.maxConnections());
      assertThat(s.bufferedBytes()).as(why).isLessThanOrEqualTo(l.maxBufferedTotal());
      for (int i = 0; i < 4; i++) assertThat(rm.connectionsFrom(ip("10.0." + i + ".0"))).as(why).isLessThanOrEqualTo(l.maxConnectionsPerIp());
    }
    for (ConnectionScope c : conns) c.close();
    for (StreamScope s : streams) s.close();
  }

  @Test void relayedConnectionsCountAgainstTheTotalAndThePeersShare() throws Exception {
    manager(ResourceLimits.DEFAULT.withPendingShares(1, 1).withMaxPendingInbound(1).withConnectionLimits(3, 3, 3, 2));
    ConnectionScope direct = admitted("10.0.0.1");
    direct.upgraded(peer(1), 1);
    ConnectionScope first = rm.admitRelayed(peer(2), 2);
    open.add(first);
    ConnectionScope second = rm.admitRelayed(peer(2), 3);
    open.add(second);
    assertThat(first.isRelayed()).isTrue();
    assertThat(first.isOutbound()).isFalse();
    assertThat(rm.snapshot().connections()).isEqualTo(3);
    assertThatThrownBy(() -> rm.admitRelayed(peer(3), 4)).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("connections at the limit (3)");
    // Relayed connections fill the total for direct ones too: a relay cannot be used to get past
    // it. (All identified, so none is the idle unidentified one a newcomer may shed.)
    rm.identified(peer(1));
    rm.identified(peer(2));
    assertThat(refusal("10.0.0.9")).contains("connections at the limit (3)");
    first.close();
    open.add(rm.admitRelayed(peer(2), 5));
    assertThat(rm.snapshot().connections()).as("peer 2 holds one again, and the total had room").isEqualTo(3);
  }

  @Test void aRelayedPeerGetsNoMoreConnectionsThanItsShare() throws Exception {
    manager(ResourceLimits.DEFAULT.withPendingShares(1, 1).withMaxPendingInbound(1).withConnectionLimits(100, 100, 100, 2));
    open.add(rm.admitRelayed(peer(2), 1));
    open.add(rm.admitRelayed(peer(2), 2));
    assertThatThrownBy(() -> rm.admitRelayed(peer(2), 3)).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("connections of " + peer(2) + " at the limit (2)");
    assertThat(rm.snapshot().refusedConnections()).isEqualTo(1);
  }

  @Test void aRelayedConnectionIdleAndUnidentifiedIsShedForADirectNewcomerWhenFull() throws Exception {
    manager(ResourceLimits.DEFAULT.withPendingShares(1, 1).withMaxPendingInbound(1).withConnectionLimits(1, 1, 1, 4).withShedWhenFull(true));
    ConnectionScope relayed = rm.admitRelayed(peer(2), 1);
    open.add(relayed);
    ResourceManager.Admission a = rm.admitInbound(ip("10.0.0.1"));
    assertThat(a).isInstanceOf(ResourceManager.Admission.Admitted.class);
    ResourceManager.Admission.Admitted ok = (ResourceManager.Admission.Admitted) a;
    open.add(ok.scope());
    assertThat(ok.shed()).containsExactly(relayed);
    assertThat(relayed.isReleased()).isTrue();
  }
}
