package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * The varint, base58, multibase, multihash and CID decoders on arbitrary input: only {@link
 * IllegalArgumentException} may escape, and anything accepted re-encodes to what was read.
 */
class MultiformatsFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void varintDecode(byte[] data) {
    Varint.Decoded d;
    try {
      d = Varint.decode(data, 0);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(Varint.encode(d.value())).isEqualTo(Arrays.copyOf(data, d.length()));
  }

  @FuzzTest(maxDuration = "30s")
  void base58Decode(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    byte[] bytes;
    try {
      bytes = Base58.decode(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(Base58.encode(bytes)).isEqualTo(text);
  }

  @FuzzTest(maxDuration = "30s")
  void multibaseDecode(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    byte[] bytes;
    try {
      bytes = Multibase.decode(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    Multibase.Base base = Multibase.Base.fromPrefix(text.charAt(0));
    assertThat(Multibase.decode(Multibase.encode(base, bytes))).isEqualTo(bytes);
  }

  @FuzzTest(maxDuration = "30s")
  void multihashDecode(byte[] data) {
    Multihash mh;
    try {
      mh = Multihash.decode(data);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(mh.bytes()).isEqualTo(data);
  }

  @FuzzTest(maxDuration = "30s")
  void cidDecode(byte[] data) {
    Cid cid;
    try {
      cid = Cid.decode(data);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(cid.bytes()).isEqualTo(data);
    assertThat(Cid.parse(cid.toString())).isEqualTo(cid);
  }

  @FuzzTest(maxDuration = "30s")
  void cidParse(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Cid cid;
    try {
      cid = Cid.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(Cid.decode(cid.bytes())).isEqualTo(cid);
    assertThat(Cid.parse(cid.toString())).isEqualTo(cid);
  }
}
