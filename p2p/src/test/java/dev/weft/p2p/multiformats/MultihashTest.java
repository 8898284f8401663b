package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultihashTest {
  @Test
  void sha256OfKnownInput() {
    Multihash mh = Multihash.sha256("abc".getBytes(StandardCharsets.US_ASCII));
    // FIPS 180-2 example: SHA-256("abc")
    assertThat(HexFormat.of().formatHex(mh.bytes())).isEqualTo("1220" + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Multihash.decode(mh.bytes())).isEqualTo(mh);
  }

  @Test
  void identityCarriesTheBytes() {
    Multihash mh = Multihash.identity(new byte[] {1, 2, 3});
    assertThat(mh.bytes()).containsExactly(0, 3, 1, 2, 3);
    assertThat(mh.digest()).containsExactly(1, 2, 3);
  }

  @Test
  void rejectsMalformed() {
    assertThatThrownBy(() -> Multihash.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multihash.decode(new byte[] {0x12})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multihash.decode(new byte[] {0x00, 0x02, 1})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    assertThatThrownBy(() -> Multihash.decode(new byte[] {0x00, 0x01, 1, 2})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    assertThatThrownBy(() -> Multihash.decode(new byte[] {0x12, 0x01, 1})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
  }

  @Test
  void digestLengthIsBounded() {
    byte[] big = new byte[Multihash.MAX_DIGEST_BYTES + 1];
    assertThatThrownBy(() -> Multihash.identity(big)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
    byte[] encoded = new byte[3 + big.length];
    encoded[0] = 0;
    encoded[1] = (byte) 0x81;
    encoded[2] = 0x01; // varint 129
    assertThatThrownBy(() -> Multihash.decode(encoded)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
    // a length prefix claiming 2^62 bytes fails cleanly without allocating
    byte[] huge = HexFormat.of().parseHex("00" + "8080808080808080" + "40");
    assertThatThrownBy(() -> Multihash.decode(huge)).isInstanceOf(IllegalArgumentException.class);
  }
}
