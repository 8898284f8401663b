package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.v2.V2Codec;
import dev.weft.p2p.protocol.autonat.v2.V2Message;
import dev.weft.p2p.protocol.autonat.v2.V2ServerExchange;
import dev.weft.p2p.protocol.io.ProtocolViolationException;

/**
 * A client's byte stream, whatever it is, against the server's state machine: no exception but a
 * protocol violation, never a dial to another IP than the requester's before the asked dial data
 * arrived, and the requester's admission is always returned.
 */
class V2ServerExchangeFuzzTest {
  static final PeerId CLIENT = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
  static final Multiaddr OBSERVED = Multiaddr.parse("/ip4/203.0.113.5/tcp/51000");

  @FuzzTest(maxDuration = "60s")
  void serverSurvivesAnyStream(byte[] data) {
    AutonatServerConfig config = AutonatServerConfig.DEFAULT.withAllowPrivateAddresses(data.length % 2 == 0);
    RequestLimiter limiter = new RequestLimiter(config);
    V2ServerExchange ex = new V2ServerExchange(CLIENT, OBSERVED, new DialPolicy(config, a -> true), limiter, config);
    try {
      for (byte[] body : new DelimitedFrames(AutonatLimits.MAX_MESSAGE_BYTES).feed(data, 0, data.length)) {
        V2ServerExchange.Action a = ex.onMessage(V2Codec.decode(body), 0);
        if (a instanceof V2ServerExchange.Action.DialBack d) {
          if (!DialPolicy.sameIp(d.address(), OBSERVED)) assertThat(ex.dialDataReceived()).isGreaterThanOrEqualTo(config.dialDataBytes());
          if (!config.allowPrivateAddresses()) assertThat(d.address().isPrivate() || d.address().isLoopback()).isFalse();
          ex.onDialOutcome(V2Message.DialStatus.OK);
        }
        if (a instanceof V2ServerExchange.Action.Reply || a instanceof V2ServerExchange.Action.Violation) break;
      }
    } catch (ProtocolViolationException expected) {
      // the adapter resets the stream
    } finally {
      ex.close();
    }
    assertThat(limiter.tryAcquire(CLIENT, 1)).isNotEqualTo(RequestLimiter.Admission.BUSY);
  }
}
