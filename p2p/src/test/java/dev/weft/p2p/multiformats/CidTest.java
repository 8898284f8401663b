package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CidTest {
  @Test
  void specExampleBase58CidV1() {
    // cid.md: zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA =
    // base58btc - cidv1 - raw - sha2-256-256-6e6ff7950a36187a801613426e858dce686cd7d7e3c0fc42ee0330072d245c95
    Cid cid = Cid.parse("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA");
    assertThat(cid.version()).isEqualTo(1);
    assertThat(cid.codec()).isEqualTo(Cid.RAW);
    assertThat(cid.multihash().code()).isEqualTo(Multihash.SHA2_256);
    assertThat(HexFormat.of().formatHex(cid.multihash().digest())).isEqualTo("6e6ff7950a36187a801613426e858dce686cd7d7e3c0fc42ee0330072d245c95");
    assertThat(cid.toString(Multibase.Base.BASE58BTC)).isEqualTo("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA");
    assertThat(cid.toString()).startsWith("bafkrei");
    assertThat(Cid.parse(cid.toString())).isEqualTo(cid);
  }

  @Test
  void cidV0() {
    Multihash mh = Multihash.sha256("hello".getBytes(StandardCharsets.UTF_8));
    Cid v0 = Cid.v0(mh);
    String text = v0.toString();
    assertThat(text).startsWith("Qm").hasSize(46);
    assertThat(Cid.parse(text)).isEqualTo(v0);
    assertThat(v0.version()).isZero();
    assertThat(v0.codec()).isEqualTo(Cid.DAG_PB);
    assertThat(v0.bytes()).isEqualTo(mh.bytes());
    assertThat(Cid.decode(v0.bytes())).isEqualTo(v0);
    Cid v1 = v0.toV1();
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.codec()).isEqualTo(Cid.DAG_PB);
    assertThat(v1.toString()).startsWith("bafybei");
    assertThat(v1).isNotEqualTo(v0);
  }

  @Test
  void peerIdCidFromSpec() {
    Cid cid = Cid.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertThat(cid.codec()).isEqualTo(Cid.LIBP2P_KEY);
    assertThat(cid.multihash().code()).isEqualTo(Multihash.SHA2_256);
    assertThat(cid.toString()).isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
  }

  @Test
  void binaryLayoutOfV1() {
    Cid cid = Cid.sha256(Cid.RAW, new byte[0]);
    byte[] b = cid.bytes();
    assertThat(b[0]).isEqualTo((byte) 1);
    assertThat(b[1]).isEqualTo((byte) 0x55);
    assertThat(b[2]).isEqualTo((byte) 0x12);
    assertThat(b[3]).isEqualTo((byte) 32);
    // sha256("") is the well-known e3b0c442...
    assertThat(HexFormat.of().formatHex(cid.multihash().digest())).startsWith("e3b0c44298fc1c149afbf4c8996fb924");
    assertThat(Cid.decode(b)).isEqualTo(cid);
  }

  @Test
  void largeCodecsAreKeptAsNumbers() {
    Cid cid = Cid.of(0x300001, Multihash.identity(new byte[] {9}));
    assertThat(Cid.parse(cid.toString()).codec()).isEqualTo(0x300001);
  }

  @Test
  void rejectsMalformed() {
    assertThatThrownBy(() -> Cid.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cid.decode(new byte[] {2, 0x55, 0, 0})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    assertThatThrownBy(() -> Cid.decode(new byte[] {1, 0x55, 0x12, 32, 1})).isInstanceOf(IllegalArgumentException.class);
    // A multibase-encoded CIDv0 is forbidden by the spec.
    String v0AsBase32 = Multibase.encode(Multibase.Base.BASE32, Cid.v0(Multihash.sha256(new byte[1])).bytes());
    assertThatThrownBy(() -> Cid.parse(v0AsBase32)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x12");
    assertThatThrownBy(() -> Cid.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cid.parse("xabc")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
    assertThatThrownBy(() -> Cid.parse("bafy!")).isInstanceOf(IllegalArgumentException.class);
  }
}
