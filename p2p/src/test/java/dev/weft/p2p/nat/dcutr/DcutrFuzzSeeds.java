package dev.weft.p2p.nat.dcutr;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Seed corpus of {@link DcutrCodecFuzzTest}: the messages of one exchange. */
final class DcutrFuzzSeeds {
  private DcutrFuzzSeeds() {}

  static Map<String, Map<String, byte[]>> corpora() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("connect", DcutrCodec.encode(new DcutrMessage.Connect(List.of(Multiaddr.parse("/ip4/198.51.100.7/tcp/4001"),
        Multiaddr.parse("/ip6/2001:db8::1/tcp/4001")))));
    m.put("connect-empty", DcutrCodec.encode(new DcutrMessage.Connect(List.of())));
    m.put("sync", DcutrCodec.encode(new DcutrMessage.Sync()));
    return Map.of("dev/weft/p2p/nat/dcutr/DcutrCodecFuzzTestInputs/decode", m);
  }
}
