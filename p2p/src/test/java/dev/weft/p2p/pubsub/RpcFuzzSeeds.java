package dev.weft.p2p.pubsub;

import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Seeds for {@link RpcFrameDecoderFuzzTest}: real gossipsub RPCs, framed as on the wire. */
public final class RpcFuzzSeeds {
  private RpcFuzzSeeds() {}

  public static Map<String, byte[]> frames() {
    PrivKey key = Ed25519.fromSeedNumber(5);
    PubsubMessage m = MessageSigner.sign(key, "weft/run/demo/state", "hello gossip".getBytes(StandardCharsets.UTF_8), 1);
    MessageId id = MessageIdFunction.FROM_AND_SEQNO.apply(m);
    Rpc subscribe = new Rpc(List.of(new Rpc.Subscription(true, "weft/run/demo/state")), List.of(), null);
    Rpc publish = Rpc.ofMessages(List.of(m));
    Rpc control = Rpc.ofControl(new Rpc.Control(List.of(new Rpc.IHave("weft/run/demo/state", List.of(id))), List.of(new Rpc.IWant(List.of(id))),
        List.of(new Rpc.Graft("weft/run/demo/state")), List.of(new Rpc.Prune("other", List.of(), 60L)), List.of(new Rpc.IDontWant(List.of(id)))));
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (Rpc r : List.of(subscribe, publish, control)) stream.writeBytes(RpcFrameDecoder.frame(RpcCodec.encode(r)));
    return Map.of("subscribe-publish-control", stream.toByteArray(),
        "one-signed-message", RpcFrameDecoder.frame(RpcCodec.encode(publish)));
  }
}
