package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.v2.V2Message;
import dev.weft.p2p.protocol.autonat.v2.V2ServerExchange;
import dev.weft.p2p.protocol.autonat.v2.V2ServerExchange.Action;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class V2ServerExchangeTest {
  static final PeerId CLIENT = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
  static final Multiaddr OBSERVED = Multiaddr.parse("/ip4/203.0.113.5/tcp/51000");
  static final Multiaddr SAME_IP = Multiaddr.parse("/ip4/203.0.113.5/tcp/4001");
  static final Multiaddr OTHER_IP = Multiaddr.parse("/ip4/198.51.100.9/tcp/4001");

  AutonatServerConfig config = AutonatServerConfig.DEFAULT;
  RequestLimiter limiter = new RequestLimiter(config);

  V2ServerExchange exchange(AutonatServerConfig c) {
    return new V2ServerExchange(CLIENT, OBSERVED, new DialPolicy(c, a -> true), limiter, c);
  }

  @Test void dialsTheFirstDialableAddressOnTheRequestersIpAtOnce() {
    V2ServerExchange ex = exchange(config);
    Action a = ex.onMessage(V2Message.DialRequest.of(List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1"),
        Multiaddr.parse("/ip4/203.0.113.5/udp/1/quic-v1"), SAME_IP, OTHER_IP), 42), 0);
    assertThat(a).isEqualTo(new Action.DialBack(2, SAME_IP, 42));
    assertThat(ex.onDialOutcome(V2Message.DialStatus.OK))
        .isEqualTo(new Action.Reply(new V2Message.DialResponse(V2Message.ResponseStatus.OK, 2, V2Message.DialStatus.OK)));
  }

  @Test void anotherIpCostsDialDataFirst() {
    V2ServerExchange ex = exchange(config);
    assertThat(ex.onMessage(V2Message.DialRequest.of(List.of(OTHER_IP), 7), 0))
        .isEqualTo(new Action.AskDialData(new V2Message.DialDataRequest(0, 30_000)));
    for (int i = 0; i < 7; i++) assertThat(ex.onMessage(new V2Message.DialDataResponse(4096), 0)).isEqualTo(new Action.Wait());
    assertThat(ex.dialDataReceived()).isEqualTo(7 * 4096);
    assertThat(ex.onMessage(new V2Message.DialDataResponse(4096), 0)).isEqualTo(new Action.DialBack(0, OTHER_IP, 7));
  }

  @Test void withoutProtectionAnotherIpIsDialledForFree() {
    V2ServerExchange ex = exchange(config.withProtectAgainstAmplification(false));
    assertThat(ex.onMessage(V2Message.DialRequest.of(List.of(OTHER_IP), 7), 0)).isEqualTo(new Action.DialBack(0, OTHER_IP, 7));
  }

  @Test void privateLoopbackRelayedAndUndecodableAddressesAreRefused() {
    V2ServerExchange ex = exchange(config);
    Action a = ex.onMessage(new V2Message.DialRequest(List.of(Optional.empty(), Optional.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")),
        Optional.of(Multiaddr.parse("/ip4/192.168.1.2/tcp/1")), Optional.of(Multiaddr.parse("/ip4/203.0.113.5/tcp/0")),
        Optional.of(SAME_IP.encapsulate("/p2p-circuit")), Optional.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/5"))), 1), 0);
    assertThat(a).isEqualTo(new Action.Reply(new V2Message.DialResponse(V2Message.ResponseStatus.E_DIAL_REFUSED, 0, V2Message.DialStatus.UNUSED)));
  }

  @Test void aSecondConcurrentRequestFromOnePeerIsRejectedUntilTheFirstEnds() {
    V2ServerExchange first = exchange(config);
    assertThat(first.onMessage(V2Message.DialRequest.of(List.of(SAME_IP), 1), 0)).isInstanceOf(Action.DialBack.class);
    V2ServerExchange second = exchange(config);
    assertThat(second.onMessage(V2Message.DialRequest.of(List.of(SAME_IP), 2), 0)).isEqualTo(
        new Action.Reply(new V2Message.DialResponse(V2Message.ResponseStatus.E_REQUEST_REJECTED, 0, V2Message.DialStatus.UNUSED)));
    first.close();
    first.close();
    assertThat(exchange(config).onMessage(V2Message.DialRequest.of(List.of(SAME_IP), 3), 0)).isInstanceOf(Action.DialBack.class);
  }

  @Test void outOfOrderMessagesAreViolations() {
    assertThat(exchange(config).onMessage(new V2Message.DialDataResponse(10), 0)).isInstanceOf(Action.Violation.class);
    V2ServerExchange ex = exchange(config);
    ex.onMessage(V2Message.DialRequest.of(List.of(SAME_IP), 1), 0);
    assertThat(ex.onMessage(new V2Message.DialDataResponse(10), 0)).isInstanceOf(Action.Violation.class);
    ex.close();
    V2ServerExchange ex2 = exchange(config);
    ex2.onMessage(V2Message.DialRequest.of(List.of(OTHER_IP), 1), 0);
    assertThat(ex2.onMessage(V2Message.DialRequest.of(List.of(OTHER_IP), 1), 0)).isInstanceOf(Action.Violation.class);
  }

  @Test void aDialOutcomeAfterTheStreamDiedIsIgnored() {
    V2ServerExchange ex = exchange(config);
    ex.onMessage(V2Message.DialRequest.of(List.of(SAME_IP), 1), 0);
    ex.close();
    assertThat(ex.onDialOutcome(V2Message.DialStatus.OK)).isEqualTo(new Action.Wait());
  }

  @Test void dialDataDialsHaveTheirOwnRate() {
    AutonatServerConfig c = config.withRates(12, 60, 2);
    limiter = new RequestLimiter(c);
    for (int i = 0; i < 2; i++) {
      V2ServerExchange ex = exchange(c);
      assertThat(ex.onMessage(V2Message.DialRequest.of(List.of(OTHER_IP), i), i)).isInstanceOf(Action.AskDialData.class);
      ex.close();
    }
    V2ServerExchange third = exchange(c);
    assertThat(third.onMessage(V2Message.DialRequest.of(List.of(OTHER_IP), 3), 3)).isEqualTo(
        new Action.Reply(new V2Message.DialResponse(V2Message.ResponseStatus.E_REQUEST_REJECTED, 0, V2Message.DialStatus.UNUSED)));
  }
}
