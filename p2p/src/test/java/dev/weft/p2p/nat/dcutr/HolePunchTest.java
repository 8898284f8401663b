package dev.weft.p2p.nat.dcutr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.dcutr.HolePunch.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

class HolePunchTest {
  static final Multiaddr A = Multiaddr.parse("/ip4/198.51.100.7/tcp/4001");
  static final Multiaddr B = Multiaddr.parse("/ip4/203.0.113.9/tcp/4001");
  static final long MS = 1_000_000;

  @Test void initiatorMeasuresTheRoundTripAndDialsHalfOfItAfterSync() {
    HolePunch b = HolePunch.initiator(List.of(B), 3);
    assertThat(b.start()).isEqualTo(new Action.OpenStream(1, List.of(B)));
    b.connectSent(1_000 * MS);
    List<Action> next = b.onConnect(List.of(A), 1_080 * MS);
    assertThat(next).containsExactly(new Action.SendSync(), new Action.Dial(40, List.of(A), false));
    assertThat(b.onDialed(true)).isEqualTo(new Action.Succeeded(1, 80.0));
    assertThat(b.done()).isTrue();
  }

  @Test void responderAnswersConnectAndDialsAsClientTheMomentSyncArrives() {
    HolePunch a = HolePunch.responder(List.of(A));
    assertThat(a.onConnect(List.of(B), 0)).containsExactly(new Action.SendConnect(List.of(A)));
    assertThat(a.onSync()).containsExactly(new Action.Dial(0, List.of(B), true));
    assertThat(a.onDialed(true)).isInstanceOf(Action.Succeeded.class);
  }

  @Test void initiatorRetriesTwiceWithAFreshExchangeThenGivesUp() {
    HolePunch b = HolePunch.initiator(List.of(B), 3);
    b.start();
    for (int attempt = 1; attempt <= 3; attempt++) {
      b.connectSent(0);
      // each retry measures its own round trip (the spec's FAQ): 10 ms, 20 ms, 30 ms
      assertThat(b.onConnect(List.of(A), attempt * 10 * MS)).contains(new Action.Dial(attempt * 5, List.of(A), false));
      Action after = b.onDialed(false);
      if (attempt < 3) assertThat(after).isEqualTo(new Action.OpenStream(attempt + 1, List.of(B)));
      else assertThat(after).isInstanceOfSatisfying(Action.Failed.class, f -> assertThat(f.attempts()).isEqualTo(3));
    }
    assertThat(b.done()).isTrue();
    assertThat(b.onDialed(true)).as("nothing after the end").isNull();
  }

  @Test void aStreamFailureBeforeTheDialIsAFailedAttempt() {
    HolePunch b = HolePunch.initiator(List.of(B), 2);
    b.start();
    assertThat(b.onStreamFailed("reset")).isEqualTo(new Action.OpenStream(2, List.of(B)));
    assertThat(b.onStreamFailed("timeout")).isInstanceOf(Action.Failed.class);
  }

  @Test void onceDiallingTheStreamNoLongerMatters() {
    HolePunch b = HolePunch.initiator(List.of(B), 3);
    b.start();
    b.connectSent(0);
    b.onConnect(List.of(A), MS);
    assertThat(b.onStreamFailed("the peer closed its side after SYNC")).isNull();
    assertThat(b.onDialed(true)).isInstanceOf(Action.Succeeded.class);
  }

  @Test void outOfOrderMessagesFailTheResponder() {
    assertThat(HolePunch.responder(List.of(A)).onSync()).singleElement().isInstanceOf(Action.Failed.class);
    HolePunch a = HolePunch.responder(List.of(A));
    a.onConnect(List.of(B), 0);
    assertThat(a.onConnect(List.of(B), 0)).singleElement().isInstanceOf(Action.Failed.class);
  }

  @Test void aConnectWithNothingDialableFailsTheAttemptWithoutDialling() {
    HolePunch b = HolePunch.initiator(List.of(B), 1);
    b.start();
    b.connectSent(0);
    List<Action> next = b.onConnect(List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p-circuit")), MS);
    assertThat(next).singleElement().isInstanceOf(Action.Failed.class);
  }

  @Test void onlyDirectTcpAddressesAreDialableOnceEach() {
    List<Multiaddr> in = List.of(A, Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"), Multiaddr.parse("/ip4/198.51.100.1/tcp/1/p2p-circuit"),
        Multiaddr.parse("/ip4/198.51.100.7/udp/4001"), A, Multiaddr.parse("/ip4/203.0.113.9/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN"));
    assertThat(HolePunch.dialable(in)).containsExactly(A, B);
  }
}
