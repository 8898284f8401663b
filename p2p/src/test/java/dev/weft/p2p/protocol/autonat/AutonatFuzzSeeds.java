package dev.weft.p2p.protocol.autonat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.autonat.v1.V1Codec;
import dev.weft.p2p.protocol.autonat.v1.V1Message;
import dev.weft.p2p.protocol.autonat.v2.V2Codec;
import dev.weft.p2p.protocol.autonat.v2.V2Message;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seed corpora of the AutoNAT fuzz tests: the messages and streams the ITs exchange. */
final class AutonatFuzzSeeds {
  private AutonatFuzzSeeds() {}

  static final Multiaddr SAME_IP = Multiaddr.parse("/ip4/203.0.113.5/tcp/4001");
  static final Multiaddr OTHER_IP = Multiaddr.parse("/ip4/198.51.100.9/tcp/4001");
  static final Multiaddr V6 = Multiaddr.parse("/ip6/2001:db8::5/tcp/4001");

  static Map<String, byte[]> v2Messages() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("dial-request", V2Codec.encode(V2Message.DialRequest.of(List.of(SAME_IP, V6, OTHER_IP), 0x1122334455667788L)));
    m.put("dial-response-ok", V2Codec.encode(new V2Message.DialResponse(V2Message.ResponseStatus.OK, 1, V2Message.DialStatus.OK)));
    m.put("dial-response-rejected", V2Codec.encode(new V2Message.DialResponse(V2Message.ResponseStatus.E_REQUEST_REJECTED, 0, V2Message.DialStatus.UNUSED)));
    m.put("dial-data-request", V2Codec.encode(new V2Message.DialDataRequest(2, 30_000)));
    m.put("dial-data-response", V2Codec.encode(new V2Message.DialDataResponse(100)));
    return m;
  }

  static Map<String, byte[]> dialBack() {
    return Map.of("dial-back", V2Codec.encodeDialBack(0x1122334455667788L), "dial-back-response", V2Codec.encodeDialBackResponse());
  }

  static Map<String, byte[]> v1Messages() {
    PeerId p = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("dial", V1Codec.encode(new V1Message.Dial(p.bytes(), List.of(SAME_IP, V6))));
    m.put("dial-response-ok", V1Codec.encode(new V1Message.DialResponse(V1Message.Status.OK, null, SAME_IP)));
    m.put("dial-response-error", V1Codec.encode(new V1Message.DialResponse(V1Message.Status.E_DIAL_ERROR, "all dials failed", null)));
    return m;
  }

  /** Client → server dial-request streams: same IP; other IP paying dial data. */
  static Map<String, byte[]> clientStreams() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("same-ip", frames(V2Message.DialRequest.of(List.of(SAME_IP), 7)));
    V2Message[] paying = new V2Message[1 + 8];
    paying[0] = V2Message.DialRequest.of(List.of(OTHER_IP, SAME_IP), 8);
    for (int i = 1; i < paying.length; i++) paying[i] = new V2Message.DialDataResponse(4096);
    m.put("other-ip-paid", frames(paying));
    return m;
  }

  static byte[] frames(V2Message... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (V2Message msg : messages) {
      byte[] b = V2Codec.encode(msg);
      Varint.write(b.length, out);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  static Map<String, Map<String, byte[]>> corpora() {
    String base = "dev/weft/p2p/protocol/autonat/";
    return Map.of(
        base + "AutonatCodecFuzzTestInputs/decodeV2", v2Messages(),
        base + "AutonatCodecFuzzTestInputs/decodeDialBack", dialBack(),
        base + "AutonatCodecFuzzTestInputs/decodeV1", v1Messages(),
        base + "DelimitedFramesFuzzTestInputs/arbitraryChunks", clientStreams(),
        base + "V2ServerExchangeFuzzTestInputs/serverSurvivesAnyStream", clientStreams());
  }
}
