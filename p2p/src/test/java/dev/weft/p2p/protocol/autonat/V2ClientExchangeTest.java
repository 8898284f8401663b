package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.v2.V2ClientExchange;
import dev.weft.p2p.protocol.autonat.v2.V2ClientExchange.Action;
import dev.weft.p2p.protocol.autonat.v2.V2Message;
import dev.weft.p2p.protocol.autonat.v2.V2Message.DialStatus;
import dev.weft.p2p.protocol.autonat.v2.V2Message.ResponseStatus;
import dev.weft.p2p.protocol.autonat.v2.V2Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class V2ClientExchangeTest {
  static final Multiaddr A = Multiaddr.parse("/ip4/203.0.113.5/tcp/4001");
  static final Multiaddr B = Multiaddr.parse("/ip6/2001:db8::5/tcp/4001");

  V2ClientExchange ex = new V2ClientExchange(List.of(A, B), 99, 100_000);

  static V2Message.DialResponse ok(int idx, DialStatus s) {
    return new V2Message.DialResponse(ResponseStatus.OK, idx, s);
  }

  @Test void reachableOnlyWhenTheNonceArrived() {
    assertThat(ex.request()).isEqualTo(V2Message.DialRequest.of(List.of(A, B), 99));
    assertThat(ex.onMessage(ok(1, DialStatus.OK), true)).isEqualTo(new Action.Finished(new V2Result.Reachable(B), false));
    V2ClientExchange lied = new V2ClientExchange(List.of(A), 1, 0);
    assertThat(lied.onMessage(ok(0, DialStatus.OK), false)).isInstanceOfSatisfying(Action.Finished.class,
        f -> assertThat(f.result()).isInstanceOf(V2Result.Inconclusive.class));
  }

  @Test void dialErrorMeansUnreachableUnlessOurNonceArrivedAnyway() {
    assertThat(ex.onMessage(ok(0, DialStatus.E_DIAL_ERROR), false)).isEqualTo(new Action.Finished(new V2Result.Unreachable(A), false));
    V2ClientExchange other = new V2ClientExchange(List.of(A), 1, 0);
    assertThat(((Action.Finished) other.onMessage(ok(0, DialStatus.E_DIAL_ERROR), true)).result()).isInstanceOf(V2Result.Inconclusive.class);
  }

  @Test void paysDialDataWithinTheBudgetOnly() {
    assertThat(ex.onMessage(new V2Message.DialDataRequest(0, 30_000), false)).isEqualTo(new Action.SendDialData(30_000));
    assertThat(ex.paid()).isEqualTo(30_000);
    // The server dialled another address than the one we paid for: not believed.
    assertThat(((Action.Finished) ex.onMessage(ok(1, DialStatus.OK), true)).reset()).isTrue();
    V2ClientExchange stingy = new V2ClientExchange(List.of(A), 1, 10_000);
    assertThat(stingy.onMessage(new V2Message.DialDataRequest(0, 30_000), false)).isInstanceOfSatisfying(Action.Finished.class, f -> {
      assertThat(f.reset()).isTrue();
      assertThat(f.result()).isInstanceOf(V2Result.Inconclusive.class);
    });
  }

  @Test void malformedServerBehaviourEndsTheExchange() {
    assertThat(((Action.Finished) ex.onMessage(ok(5, DialStatus.OK), true)).reset()).isTrue();
    V2ClientExchange twice = new V2ClientExchange(List.of(A), 1, 100_000);
    twice.onMessage(new V2Message.DialDataRequest(0, 30_000), false);
    assertThat(((Action.Finished) twice.onMessage(new V2Message.DialDataRequest(0, 30_000), false)).reset()).isTrue();
    V2ClientExchange wrongIdx = new V2ClientExchange(List.of(A), 1, 100_000);
    assertThat(((Action.Finished) wrongIdx.onMessage(new V2Message.DialDataRequest(3, 1), false)).reset()).isTrue();
    V2ClientExchange echo = new V2ClientExchange(List.of(A), 1, 100_000);
    assertThat(((Action.Finished) echo.onMessage(V2Message.DialRequest.of(List.of(A), 1), false)).reset()).isTrue();
  }

  @Test void refusalsAndRejectionsTeachNothing() {
    for (ResponseStatus s : List.of(ResponseStatus.E_REQUEST_REJECTED, ResponseStatus.E_DIAL_REFUSED, ResponseStatus.E_INTERNAL_ERROR)) {
      V2ClientExchange e = new V2ClientExchange(List.of(A), 1, 0);
      assertThat(((Action.Finished) e.onMessage(new V2Message.DialResponse(s, 0, DialStatus.UNUSED), false)).result())
          .isInstanceOf(V2Result.Inconclusive.class);
    }
  }
}
