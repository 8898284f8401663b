package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.v1.V1Codec;
import dev.weft.p2p.protocol.autonat.v1.V1Message;
import dev.weft.p2p.protocol.autonat.v2.V2Codec;
import dev.weft.p2p.protocol.autonat.v2.V2Message;
import dev.weft.p2p.protocol.autonat.v2.pb.DialDataResponse;
import dev.weft.p2p.protocol.autonat.v2.pb.DialRequest;
import dev.weft.p2p.protocol.autonat.v2.pb.DialResponse;
import dev.weft.p2p.protocol.autonat.v2.pb.Message;
import dev.weft.p2p.protocol.io.MessageTooLargeException;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AutonatCodecTest {
  static final Multiaddr A = Multiaddr.parse("/ip4/203.0.113.5/tcp/4001");

  @Test void v2MessagesRoundTrip() throws Exception {
    for (V2Message m : List.of(V2Message.DialRequest.of(List.of(A, Multiaddr.parse("/ip6/2001:db8::1/tcp/1")), -5L),
        new V2Message.DialResponse(V2Message.ResponseStatus.OK, 1, V2Message.DialStatus.E_DIAL_BACK_ERROR),
        new V2Message.DialResponse(V2Message.ResponseStatus.E_INTERNAL_ERROR, 0, V2Message.DialStatus.UNUSED),
        new V2Message.DialDataRequest(3, 30_000), new V2Message.DialDataResponse(4096), new V2Message.DialDataResponse(0))) {
      assertThat(V2Codec.decode(V2Codec.encode(m))).isEqualTo(m);
    }
    assertThat(V2Codec.decodeDialBack(V2Codec.encodeDialBack(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    V2Codec.decodeDialBackResponse(V2Codec.encodeDialBackResponse());
  }

  @Test void v2KeepsIndexesOfUndecodableAddresses() throws Exception {
    byte[] body = Message.newBuilder().setDialRequest(DialRequest.newBuilder().addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xFF, 1}))
        .addAddrs(ByteString.copyFrom(A.bytes())).setNonce(1)).build().toByteArray();
    V2Message.DialRequest r = (V2Message.DialRequest) V2Codec.decode(body);
    assertThat(r.addrs()).containsExactly(Optional.empty(), Optional.of(A));
  }

  @Test void v2RefusesWhatItDoesNotUnderstandOrWillNotHold() {
    byte[] unknownStatus = Message.newBuilder().setDialResponse(DialResponse.newBuilder().setStatusValue(150)).build().toByteArray();
    assertThatThrownBy(() -> V2Codec.decode(unknownStatus)).isInstanceOf(ProtocolViolationException.class).hasMessageContaining("status 150");
    byte[] bigChunk = Message.newBuilder().setDialDataResponse(DialDataResponse.newBuilder().setData(ByteString.copyFrom(new byte[4097])))
        .build().toByteArray();
    assertThatThrownBy(() -> V2Codec.decode(bigChunk)).hasMessageContaining("4097");
    DialRequest.Builder many = DialRequest.newBuilder();
    for (int i = 0; i < 33; i++) many.addAddrs(ByteString.copyFrom(A.bytes()));
    assertThatThrownBy(() -> V2Codec.decode(Message.newBuilder().setDialRequest(many).build().toByteArray())).hasMessageContaining("33 addresses");
    assertThatThrownBy(() -> V2Codec.decode(new byte[0])).hasMessageContaining("no content");
    assertThatThrownBy(() -> V2Codec.decode(new byte[8193])).hasMessageContaining("too large");
    assertThatThrownBy(() -> V2Codec.decode(new byte[] {0x0A, 0x05, 1})).isInstanceOf(ProtocolViolationException.class);
    assertThatThrownBy(() -> V2Codec.decodeDialBackResponse(new byte[] {0x08, 0x01})).hasMessageContaining("status 1");
  }

  @Test void v1MessagesRoundTrip() throws Exception {
    PeerId p = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
    V1Message.Dial d = (V1Message.Dial) V1Codec.decode(V1Codec.encode(new V1Message.Dial(p.bytes(), List.of(A))));
    assertThat(d.peerId()).isEqualTo(p.bytes());
    assertThat(d.addrs()).containsExactly(A);
    V1Message.DialResponse r = new V1Message.DialResponse(V1Message.Status.OK, "fine", A);
    assertThat(V1Codec.decode(V1Codec.encode(r))).isEqualTo(r);
    V1Message.DialResponse e = new V1Message.DialResponse(V1Message.Status.E_DIAL_ERROR, null, null);
    assertThat(V1Codec.decode(V1Codec.encode(e))).isEqualTo(e);
  }

  @Test void v1RefusesMissingPartsAndBoundsText() throws Exception {
    var m = dev.weft.p2p.protocol.autonat.v1.pb.Message.newBuilder();
    assertThatThrownBy(() -> V1Codec.decode(m.build().toByteArray())).hasMessageContaining("without a type");
    m.setType(dev.weft.p2p.protocol.autonat.v1.pb.Message.MessageType.DIAL);
    assertThatThrownBy(() -> V1Codec.decode(m.build().toByteArray())).hasMessageContaining("without peer info");
    char[] longText = new char[5000];
    Arrays.fill(longText, 'x');
    byte[] body = V1Codec.encode(new V1Message.DialResponse(V1Message.Status.E_DIAL_REFUSED, new String(longText, 0, 4000), null));
    assertThat(((V1Message.DialResponse) V1Codec.decode(body)).statusText()).hasSize(V1Codec.MAX_STATUS_TEXT);
  }

  @Test void framesAreSplitAndBoundedBeforeBuffering() throws Exception {
    DelimitedFrames f = new DelimitedFrames(10);
    assertThat(f.feed(new byte[] {2, 'a'}, 0, 2)).isEmpty();
    assertThat(f.midMessage()).isTrue();
    assertThat(f.feed(new byte[] {'b', 1, 'c', 0, 3}, 0, 5)).extracting(String::new).containsExactly("ab", "c", "");
    assertThat(f.midMessage()).isTrue();
    assertThatThrownBy(() -> new DelimitedFrames(10).feed(new byte[] {11}, 0, 1)).isInstanceOf(MessageTooLargeException.class);
    assertThatThrownBy(() -> new DelimitedFrames(10).feed(new byte[] {(byte) 0x81, 0}, 0, 2)).hasMessageContaining("non-minimal");
    DelimitedFrames broken = new DelimitedFrames(10);
    assertThatThrownBy(() -> broken.feed(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}, 0, 6))
        .isInstanceOf(MessageTooLargeException.class);
    assertThatThrownBy(() -> broken.feed(new byte[] {1}, 0, 1)).hasMessageContaining("already failed");
  }
}
