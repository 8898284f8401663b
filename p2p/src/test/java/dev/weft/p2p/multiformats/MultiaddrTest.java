package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {
  private static final String ED_PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
  private static final String RSA_PEER = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void specExampleIp4Udp() {
    // multiaddr.md: /ip4/127.0.0.1/udp/1234 = 0x4 0x7f 0x0 0x0 0x1 0x91 0x2 0x4 0xd2
    Multiaddr ma = Multiaddr.parse("/ip4/127.0.0.1/udp/1234");
    assertThat(ma.bytes()).isEqualTo(hex("04 7f000001 9102 04d2"));
    assertThat(Multiaddr.fromBytes(hex("047f000001910204d2")).toString()).isEqualTo("/ip4/127.0.0.1/udp/1234");
  }

  @ParameterizedTest
  @CsvSource({
    "/ip4/1.2.3.4/tcp/4001, 04 01020304 06 0fa1",
    "/ip4/0.0.0.0/tcp/0, 04 00000000 06 0000",
    "/ip6/::1/tcp/443, 29 00000000000000000000000000000001 06 01bb",
    "/ip6/2001:db8::ff00:42:8329/udp/65535/quic-v1, 29 20010db8000000000000ff0000428329 9102 ffff cd03",
    "/dns4/example.com/tcp/80, 36 0b 6578616d706c652e636f6d 06 0050",
    "/dns6/a.b/tcp/1, 37 03 612e62 06 0001",
    "/dns/x/tcp/1/ws, 35 01 78 06 0001 dd03",
    "/dnsaddr/bootstrap.libp2p.io, 38 13 626f6f7473747261702e6c69627032702e696f",
    "/ip4/1.2.3.4/udp/1/quic-v1/webtransport, 04 01020304 9102 0001 cd03 d103",
    "/p2p-circuit, a202",
    "/ip4/1.2.3.4/tcp/1/tls/ws, 04 01020304 06 0001 c003 dd03",
    "/ip4/1.2.3.4/tcp/1/noise, 04 01020304 06 0001 c603",
    "/ip6zone/x/ip6/fe80::1, 2a 01 78 29 fe800000000000000000000000000001",
    "/ip4/10.0.0.0/ipcidr/8, 04 0a000000 2b 08",
    "/ip4/1.2.3.4/sctp/5, 04 01020304 8401 0005",
    "/ip4/1.2.3.4/dccp/5, 04 01020304 21 0005",
    "/ip4/1.2.3.4/udp/5/utp, 04 01020304 9102 0005 ae02",
    "/ip4/1.2.3.4/udp/5/udt, 04 01020304 9102 0005 ad02",
    "/ip4/1.2.3.4/udp/5/quic, 04 01020304 9102 0005 cc03",
    "/ip4/1.2.3.4/udp/5/webrtc-direct, 04 01020304 9102 0005 9802",
    "/webrtc, 9902",
    "/ip4/1.2.3.4/tcp/80/http, 04 01020304 06 0050 e003",
    "/ip4/1.2.3.4/tcp/443/https, 04 01020304 06 01bb bb03",
    "/ip4/1.2.3.4/tcp/443/wss, 04 01020304 06 01bb de03",
    "/ip4/1.2.3.4/tcp/443/tls/sni/example.com/http, 04 01020304 06 01bb c003 c103 0b 6578616d706c652e636f6d e003",
    "/memory/abc, 8906 03 616263",
    "/unix/tmp/weft.sock, 9003 0e 2f746d702f776566742e736f636b",
  })
  void textAndBinaryAgree(String text, String binary) {
    Multiaddr parsed = Multiaddr.parse(text);
    assertThat(HexFormat.of().formatHex(parsed.bytes())).isEqualTo(binary.replace(" ", ""));
    Multiaddr decoded = Multiaddr.fromBytes(hex(binary));
    assertThat(decoded).isEqualTo(parsed);
    assertThat(decoded.toString()).isEqualTo(text);
  }

  @Test
  void p2pAcceptsBase58AndCidAndPrintsBase58() {
    Multiaddr b58 = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + ED_PEER);
    PeerId peer = PeerId.fromBase58(ED_PEER);
    Multiaddr cid = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + peer.toCid());
    Multiaddr ipfs = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/ipfs/" + ED_PEER);
    assertThat(cid).isEqualTo(b58);
    assertThat(ipfs).isEqualTo(b58);
    assertThat(cid.toString()).isEqualTo("/ip4/1.2.3.4/tcp/1/p2p/" + ED_PEER);
    // p2p = 421 = varint a5 03, then the length-prefixed multihash.
    byte[] id = peer.bytes();
    byte[] tail = Arrays.copyOfRange(b58.bytes(), 8, b58.bytes().length);
    assertThat(tail[0] & 0xFF).isEqualTo(0xa5);
    assertThat(tail[1]).isEqualTo((byte) 3);
    assertThat(tail[2]).isEqualTo((byte) id.length);
    assertThat(Arrays.copyOfRange(tail, 3, tail.length)).isEqualTo(id);
    assertThat(b58.peerId()).contains(peer);
  }

  @Test
  void p2pRejectsNonPeerIdCid() {
    Cid raw = Cid.sha256(Cid.RAW, new byte[] {1});
    assertThatThrownBy(() -> Multiaddr.parse("/p2p/" + raw)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("libp2p-key");
  }

  @Test
  void relayAddressPeerIdIsTheTarget() {
    Multiaddr relayed = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + RSA_PEER + "/p2p-circuit/p2p/" + ED_PEER);
    assertThat(relayed.peerId()).contains(PeerId.fromBase58(ED_PEER));
    assertThat(relayed.withoutPeerId().toString()).isEqualTo("/ip4/1.2.3.4/tcp/1/p2p/" + RSA_PEER + "/p2p-circuit");
    assertThat(relayed.withoutPeerId().peerId()).isEmpty();
    assertThat(relayed.decapsulate(Protocol.P2P_CIRCUIT).peerId()).contains(PeerId.fromBase58(RSA_PEER));
  }

  @Test
  void encapsulateAndDecapsulate() {
    Multiaddr base = Multiaddr.parse("/ip4/1.2.3.4/tcp/1");
    Multiaddr ws = base.encapsulate("/ws");
    assertThat(ws.toString()).isEqualTo("/ip4/1.2.3.4/tcp/1/ws");
    assertThat(ws.decapsulateLast()).isEqualTo(base);
    assertThat(ws.decapsulate(Protocol.TCP).toString()).isEqualTo("/ip4/1.2.3.4");
    assertThat(ws.decapsulate(Protocol.UDP)).isEqualTo(ws);
    assertThat(Multiaddr.empty().decapsulateLast()).isEqualTo(Multiaddr.empty());
    assertThat(Multiaddr.empty().encapsulate(base)).isEqualTo(base);
    assertThat(ws.components()).extracting(Multiaddr.Component::name).containsExactly("ip4", "tcp", "ws");
    assertThat(ws.components().get(1).valueText()).isEqualTo("1");
    assertThat(ws.components().get(1).code()).isEqualTo(6);
    assertThat(ws.has(Protocol.WS)).isTrue();
    assertThat(ws.valueOf(Protocol.IP4)).contains("1.2.3.4");
  }

  @Test
  void withPeerIdReplacesTrailingPeer() {
    PeerId a = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
    PeerId b = PeerId.fromPublicKey(Ed25519.fromSeedNumber(2).publicKey());
    Multiaddr ma = Multiaddr.parse("/ip4/1.2.3.4/tcp/1").withPeerId(a);
    assertThat(ma.peerId()).contains(a);
    assertThat(ma.withPeerId(b).peerId()).contains(b);
    assertThat(ma.withPeerId(b).components()).hasSize(3);
    assertThat(ma.withoutPeerId().toString()).isEqualTo("/ip4/1.2.3.4/tcp/1");
  }

  @Test
  void socketAddresses() throws Exception {
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 4001);
    Multiaddr ma = Multiaddr.tcp(v4);
    assertThat(ma.toString()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
    assertThat(ma.toInetSocketAddress()).isEqualTo(v4);
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 9);
    assertThat(Multiaddr.tcp(v6).toString()).isEqualTo("/ip6/::1/tcp/9");
    assertThat(Multiaddr.tcp(v6).toInetSocketAddress()).isEqualTo(v6);
    InetSocketAddress unresolved = InetSocketAddress.createUnresolved("example.com", 80);
    assertThat(Multiaddr.tcp(unresolved).toString()).isEqualTo("/dns/example.com/tcp/80");
    InetSocketAddress back = Multiaddr.parse("/dns4/example.com/tcp/80/p2p/" + ED_PEER).toInetSocketAddress();
    assertThat(back.isUnresolved()).isTrue();
    assertThat(back.getHostString()).isEqualTo("example.com");
    assertThat(back.getPort()).isEqualTo(80);
    InetSocketAddress zoned = Multiaddr.parse("/ip6zone/3/ip6/fe80::1/tcp/7").toInetSocketAddress();
    assertThat(((java.net.Inet6Address) zoned.getAddress()).getScopeId()).isEqualTo(3);
    assertThat(zoned.getPort()).isEqualTo(7);
    assertThatThrownBy(() -> Multiaddr.parse("/ip6zone/no-such-if0/ip6/fe80::1/tcp/7").toInetSocketAddress()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zone");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/udp/1").toInetSocketAddress()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4").toInetSocketAddress()).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "/ip4/127.0.0.1/tcp/1, true, false, false",
    "/ip4/127.9.9.9, true, false, false",
    "/ip6/::1, true, false, false",
    "/ip6/::ffff:127.0.0.1, true, false, false",
    "/ip4/10.1.2.3, false, true, false",
    "/ip4/172.16.0.1, false, true, false",
    "/ip4/172.32.0.1, false, false, false",
    "/ip4/192.168.1.1, false, true, false",
    "/ip4/100.64.0.1, false, true, false",
    "/ip4/169.254.3.4, false, true, false",
    "/ip6/fd00::1, false, true, false",
    "/ip6/fe80::1, false, true, false",
    "/ip4/8.8.8.8, false, false, false",
    "/ip6/2001:db8::1, false, false, false",
    "/ip4/0.0.0.0/tcp/0, false, false, true",
    "/ip6/::/tcp/0, false, false, true",
    "/dns4/localhost/tcp/1, false, false, false",
  })
  void addressClasses(String text, boolean loopback, boolean isPrivate, boolean unspecified) {
    Multiaddr ma = Multiaddr.parse(text);
    assertThat(ma.isLoopback()).isEqualTo(loopback);
    assertThat(ma.isPrivate()).isEqualTo(isPrivate);
    assertThat(ma.isUnspecified()).isEqualTo(unspecified);
  }

  @ParameterizedTest
  @CsvSource({
    "::, ::",
    "0:0:0:0:0:0:0:1, ::1",
    "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "::ffff:1.2.3.4, ::ffff:1.2.3.4",
    "fe80::, fe80::",
    "1::2:3:4:5:6:7, 1:0:2:3:4:5:6:7",
  })
  void ip6CanonicalText(String in, String out) {
    assertThat(Multiaddr.parse("/ip6/" + in).toString()).isEqualTo("/ip6/" + out);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "ip4/1.2.3.4", "/", "//", "/ip4", "/ip4/", "/ip4/1.2.3", "/ip4/1.2.3.4.5", "/ip4/256.0.0.1", "/ip4/01.2.3.4",
    "/ip4/1.2.3.4/tcp", "/ip4/1.2.3.4/tcp/65536", "/ip4/1.2.3.4/tcp/-1", "/ip4/1.2.3.4/tcp/0x10", "/ip6/1:2:3:4:5:6:7:8:9",
    "/ip6/::1::", "/ip6/1:::2", "/ip6/12345::", "/ip6/1.2.3.4", "/ip6/::g", "/tcp/1/nope", "/foo/bar", "/p2p/notapeer",
    "/p2p/Qm", "/dns4/", "/dns4//tcp/1", "/p2p-circuit/x", "/onion3/abc:80", "/certhash/zzz", "/certhash/uAA",
    "/http-path/%2", "/http-path/%zz", "/ipcidr/256", "/unix",
  })
  void rejectsMalformedText(String text) {
    if (text.equals("/")) {
      assertThat(Multiaddr.parse(text)).isEqualTo(Multiaddr.empty());
      return;
    }
    assertThatThrownBy(() -> Multiaddr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownProtocolsGiveClearErrors() {
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/bogus/1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown multiaddr protocol 'bogus'");
    // code 0x3f0 (1008) is not in the table
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("f007"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown multiaddr protocol code 1008");
  }

  @Test
  void rejectsMalformedBinary() {
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("04 7f0000"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("36 05 6162"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("36 00"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("36 01 2f"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/'");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("36 02 c328"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("a503 03 010203"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("9003 03 616263"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/'");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("8680"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex("8600 0001"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimal");
  }

  @Test
  void boundsSizeAndComponentCount() {
    byte[] tooMany = new byte[(Multiaddr.MAX_COMPONENTS + 1) * 2];
    for (int i = 0; i < tooMany.length; i += 2) {
      tooMany[i] = (byte) 0xa2;
      tooMany[i + 1] = 0x02;
    }
    assertThatThrownBy(() -> Multiaddr.fromBytes(tooMany)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("components");
    assertThatThrownBy(() -> Multiaddr.parse("/p2p-circuit".repeat(Multiaddr.MAX_COMPONENTS + 1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("components");
    assertThat(Multiaddr.parse("/p2p-circuit".repeat(Multiaddr.MAX_COMPONENTS)).components()).hasSize(Multiaddr.MAX_COMPONENTS);
    assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[Multiaddr.MAX_BYTES + 1])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer");
    String longDns = "/dns/" + "a".repeat(600) + "/dns/" + "b".repeat(600);
    assertThatThrownBy(() -> Multiaddr.parse(longDns)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer");
  }

  @Test
  void certhashAcceptsAnyMultibaseAndPrintsBase64Url() {
    Multihash mh = Multihash.sha256(new byte[] {1, 2, 3});
    String b64 = Multibase.encode(Multibase.Base.BASE64URL, mh.bytes());
    String b32 = Multibase.encode(Multibase.Base.BASE32, mh.bytes());
    Multiaddr a = Multiaddr.parse("/ip4/1.2.3.4/udp/1/quic-v1/webtransport/certhash/" + b32);
    assertThat(a.toString()).isEqualTo("/ip4/1.2.3.4/udp/1/quic-v1/webtransport/certhash/" + b64);
    assertThat(Multiaddr.fromBytes(a.bytes())).isEqualTo(a);
  }

  @Test
  void onionAddresses() {
    String onion3 = "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:1234";
    Multiaddr ma = Multiaddr.parse(onion3);
    assertThat(ma.bytes()).hasSize(2 + 37);
    assertThat(ma.toString()).isEqualTo(onion3);
    assertThat(Multiaddr.parse("/onion/timaq4ygg2iegci7:1234").toString()).isEqualTo("/onion/timaq4ygg2iegci7:1234");
    assertThatThrownBy(() -> Multiaddr.parse("/onion/timaq4ygg2iegci7:0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multiaddr.parse("/onion/timaq4ygg2iegci7")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void garlicAddresses() {
    byte[] dest = new byte[386];
    for (int i = 0; i < dest.length; i++) dest[i] = (byte) (i * 7);
    Multiaddr g64 = Multiaddr.of(java.util.List.of(new Multiaddr.Component(Protocol.GARLIC64, dest)));
    assertThat(g64.toString()).doesNotContain("+").startsWith("/garlic64/");
    assertThat(Multiaddr.parse(g64.toString())).isEqualTo(g64);
    Multiaddr g32 = Multiaddr.of(java.util.List.of(new Multiaddr.Component(Protocol.GARLIC32, new byte[32])));
    assertThat(Multiaddr.parse(g32.toString())).isEqualTo(g32);
    assertThatThrownBy(() -> new Multiaddr.Component(Protocol.GARLIC32, new byte[33])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Multiaddr.Component(Protocol.GARLIC64, new byte[10])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void httpPathIsPercentEncoded() {
    Multiaddr ma = Multiaddr.parse("/dns/example.com/tcp/443/tls/http/http-path/foo%2Fbar%20baz");
    Multiaddr.Component path = ma.components().get(ma.components().size() - 1);
    assertThat(new String(path.value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("foo/bar baz");
    assertThat(ma.toString()).endsWith("/http-path/foo%2Fbar%20baz");
  }

  @Test
  void unixPathTakesTheRest() {
    Multiaddr ma = Multiaddr.parse("/unix/var/run/weft/node.sock");
    assertThat(ma.components()).hasSize(1);
    assertThat(ma.components().get(0).valueText()).isEqualTo("/var/run/weft/node.sock");
    assertThat(ma.toString()).isEqualTo("/unix/var/run/weft/node.sock");
    assertThat(Multiaddr.parse("/ip4/1.2.3.4/tcp/1/unix/a/p2p/x").components()).hasSize(3);
  }

  @Test
  void unixPathMustBeLast() {
    // found by MultiaddrFuzzTest: a binary /unix followed by more components has no text form
    byte[] unixThenTcp = hex("9003 02 2f61 06 0001");
    assertThatThrownBy(() -> Multiaddr.fromBytes(unixThenTcp)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last component");
    assertThatThrownBy(() -> Multiaddr.parse("/unix/a").encapsulate("/tcp/1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last component");
  }

  @Test
  void emptyMultiaddrPrintsAsSlash() {
    assertThat(Multiaddr.fromBytes(new byte[0]).toString()).isEqualTo("/");
    assertThat(Multiaddr.parse("/")).isEqualTo(Multiaddr.empty());
    assertThat(Multiaddr.empty().isEmpty()).isTrue();
  }

  @Test
  void trailingSlashIsAllowed() {
    assertThat(Multiaddr.parse("/ip4/1.2.3.4/tcp/1/")).isEqualTo(Multiaddr.parse("/ip4/1.2.3.4/tcp/1"));
  }

  @Test
  void equalityIsOnBytes() {
    Multiaddr a = Multiaddr.parse("/ip6/0:0::1/tcp/1");
    Multiaddr b = Multiaddr.parse("/ip6/::1/tcp/1");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Multiaddr.parse("/ip6/::1/tcp/2"));
    byte[] bytes = a.bytes();
    bytes[0] = 0;
    assertThat(a.bytes()[0]).isEqualTo((byte) 0x29);
  }
}
