package dev.weft.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Cid;
import dev.weft.p2p.multiformats.Multibase;
import dev.weft.p2p.multiformats.Multihash;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** peer-ids.md: derivation, both text forms, and the spec's example ids. */
class PeerIdTest {
  @Test
  void ed25519SpecKeyGivesInlinedId() {
    PubKey pub = Keys.unmarshalPublicKey(HexFormat.of().parseHex(SpecVectors.ED25519_PUBLIC));
    PeerId id = PeerId.fromPublicKey(pub);
    assertThat(id.bytes()).startsWith(0x00, 36); // identity multihash of the 36-byte protobuf
    assertThat(id.toBase58()).startsWith("12D3KooW");
    assertThat(id.publicKey()).contains(pub);
    assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
    assertThat(PeerId.parse(id.toCid().toString())).isEqualTo(id);
  }

  @Test
  void specExampleIdsParse() {
    PeerId ed = PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    assertThat(ed.publicKey()).get().extracting(PubKey::type).isEqualTo(KeyType.ED25519);
    assertThat(ed.toString()).isEqualTo("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");

    PeerId rsa = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    assertThat(rsa.publicKey()).isEmpty();
    assertThat(rsa.inlinedPublicKey()).isNull();
    assertThat(Multihash.decode(rsa.bytes()).code()).isEqualTo(Multihash.SHA2_256);

    PeerId fromCid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertThat(fromCid.toCid().toString()).isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertThat(PeerId.parse(fromCid.toBase58())).isEqualTo(fromCid);
  }

  @Test
  void cidInOtherMultibasesIsAccepted() {
    PeerId id = PeerId.fromPublicKey(Ed25519.fromSeedNumber(7).publicKey());
    String z = id.toCid().toString(Multibase.Base.BASE58BTC);
    assertThat(z).startsWith("z");
    assertThat(PeerId.parse(z)).isEqualTo(id);
  }

  @Test
  void rejectsNonPeerIds() {
    assertThatThrownBy(() -> PeerId.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerId.parse("hello")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerId.parse("1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerId.parse("Qm0")).isInstanceOf(IllegalArgumentException.class);
    String rawCid = Cid.sha256(Cid.RAW, new byte[] {1}).toString();
    assertThatThrownBy(() -> PeerId.parse(rawCid)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("libp2p-key");
    // identity multihash longer than 42 bytes: not a peer id
    byte[] long43 = new Multihash(Multihash.IDENTITY, new byte[43]).bytes();
    assertThatThrownBy(() -> PeerId.fromBytes(long43)).isInstanceOf(IllegalArgumentException.class);
    // sha2-512 (0x13) is not a peer id hash
    byte[] sha512 = new Multihash(0x13, new byte[64]).bytes();
    assertThatThrownBy(() -> PeerId.fromBytes(sha512)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inlinedGarbageIsReportedByPublicKey() {
    PeerId id = PeerId.fromBytes(Multihash.identity(new byte[] {1, 2, 3}).bytes());
    assertThatThrownBy(id::publicKey).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void orderingIsByBytes() {
    PeerId a = PeerId.fromBytes(Multihash.identity(new byte[] {1}).bytes());
    PeerId b = PeerId.fromBytes(Multihash.identity(new byte[] {(byte) 0xff}).bytes());
    assertThat(a).isLessThan(b);
  }
}
