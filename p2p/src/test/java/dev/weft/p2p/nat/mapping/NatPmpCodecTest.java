package dev.weft.p2p.nat.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NatPmpCodecTest {
  /** Captured from miniupnpd 2.3.1 in the namespace bed (NatPmpMiniupnpdIT). */
  static final byte[] MINIUPNPD_EXTERNAL = HexFormat.of().parseHex("0080000000001abd0b162101");
  static final byte[] MINIUPNPD_MAP = HexFormat.of().parseHex("0082000000001abd0fa10fa10000003c");

  @Test void decodesWhatMiniupnpdSends() throws Exception {
    NatPmpCodec.ExternalAddress a = NatPmpCodec.decodeExternalAddress(MINIUPNPD_EXTERNAL, 12);
    assertThat(a.result()).isEqualTo(NatPmpCodec.Result.SUCCESS);
    assertThat(a.address().getHostAddress()).isEqualTo("11.22.33.1");
    NatPmpCodec.Mapping m = NatPmpCodec.decodeMapping(MINIUPNPD_MAP, 16, NatPmpCodec.OP_MAP_TCP);
    assertThat(m).isEqualTo(new NatPmpCodec.Mapping(NatPmpCodec.Result.SUCCESS, 2, 0x1abd, 4001, 4001, 60));
  }

  @Test void encodesRequestsAsTheRfcLaysThemOut() {
    assertThat(NatPmpCodec.externalAddressRequest()).containsExactly(0, 0);
    assertThat(HexFormat.of().formatHex(NatPmpCodec.mapRequest(2, 4001, 4001, 60))).isEqualTo("000200000fa10fa10000003c");
    assertThatThrownBy(() -> NatPmpCodec.mapRequest(3, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NatPmpCodec.mapRequest(2, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test void refusesWrongVersionOpcodeLengthOrResult() {
    assertThatThrownBy(() -> NatPmpCodec.decodeExternalAddress(new byte[] {1, (byte) 128, 0, 0}, 4)).hasMessageContaining("version");
    assertThatThrownBy(() -> NatPmpCodec.decodeMapping(MINIUPNPD_MAP, 16, NatPmpCodec.OP_MAP_UDP)).hasMessageContaining("opcode");
    assertThatThrownBy(() -> NatPmpCodec.decodeMapping(MINIUPNPD_MAP, 10, NatPmpCodec.OP_MAP_TCP)).hasMessageContaining("10 bytes");
    assertThatThrownBy(() -> NatPmpCodec.decodeExternalAddress(new byte[] {0, (byte) 128, 0, 9}, 4)).hasMessageContaining("result code 9");
  }

  @Test void shortErrorResponsesStillSayWhy() throws Exception {
    assertThat(NatPmpCodec.decodeMapping(new byte[] {0, (byte) 130, 0, 2}, 4, 2).result()).isEqualTo(NatPmpCodec.Result.NOT_AUTHORIZED);
  }

  @Test void seedsAreTheCapturedResponses() throws Exception {
    Path dir = Path.of("src/test/resources/dev/weft/p2p/nat/mapping/NatPmpCodecFuzzTestInputs/decodeResponses");
    if (Boolean.getBoolean("weft.fuzz.writeSeeds")) {
      Files.createDirectories(dir);
      Files.write(dir.resolve("miniupnpd-external"), MINIUPNPD_EXTERNAL);
      Files.write(dir.resolve("miniupnpd-map"), MINIUPNPD_MAP);
    }
    assertThat(Files.readAllBytes(dir.resolve("miniupnpd-external"))).isEqualTo(MINIUPNPD_EXTERNAL);
    assertThat(Files.readAllBytes(dir.resolve("miniupnpd-map"))).isEqualTo(MINIUPNPD_MAP);
  }
}
