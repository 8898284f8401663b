package dev.weft.p2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.identify.pb.Identify;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentifyCodecTest {
  @Test void roundTripsEveryField() throws Exception {
    IdentifyInfo info = new IdentifyInfo("ipfs/0.1.0", "weft/0.1.0", Ed25519.fromSeedNumber(4).publicKey(),
        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4001")),
        Multiaddr.parse("/ip4/10.0.0.1/tcp/5555"), List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"), null, 0);
    byte[] wire = IdentifyCodec.encodeDelimited(info);
    var prefix = dev.weft.p2p.multiformats.Varint.decode(wire, 0);
    assertThat(prefix.value()).isEqualTo(wire.length - prefix.length());
    IdentifyInfo back = IdentifyCodec.decode(IdentifyCodec.encode(info));
    assertThat(back.publicKey().marshal()).isEqualTo(info.publicKey().marshal());
    assertThat(back).usingRecursiveComparison().ignoringFields("publicKey").isEqualTo(info);
  }

  @Test void badAddressesAreSkippedAndListsBounded() throws Exception {
    Identify.Builder b = Identify.newBuilder().addListenAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x7f}));
    for (int i = 0; i < 100; i++) b.addListenAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/1.2.3.4/tcp/" + (i + 1)).bytes()));
    for (int i = 0; i < 300; i++) b.addProtocols("/p/" + i);
    b.addProtocols("");
    IdentifyInfo info = IdentifyCodec.decode(b.build().toByteArray());
    assertThat(info.listenAddrs()).hasSize(IdentifyProtocol.MAX_LISTEN_ADDRS);
    assertThat(info.skippedAddrs()).isEqualTo(1 + 100 - IdentifyProtocol.MAX_LISTEN_ADDRS);
    assertThat(info.protocols()).hasSize(IdentifyProtocol.MAX_PROTOCOLS).doesNotContain("");
  }

  @Test void malformedProtobufOrKeyIsAViolation() {
    assertThatThrownBy(() -> IdentifyCodec.decode(new byte[] {0x0a, 0x05, 1})).isInstanceOf(ProtocolViolationException.class);
    byte[] badKey = Identify.newBuilder().setPublicKey(ByteString.copyFrom(new byte[] {8, 1, 18, 3, 1, 2, 3})).build().toByteArray();
    assertThatThrownBy(() -> IdentifyCodec.decode(badKey)).isInstanceOf(ProtocolViolationException.class).hasMessageContaining("public key");
  }
}
