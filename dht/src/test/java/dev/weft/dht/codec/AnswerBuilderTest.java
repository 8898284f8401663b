package dev.weft.dht.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.TestPeers;
import dev.weft.dht.keyspace.PeerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Answers fit the limit whatever peers and addresses they are offered, and keep the caller's order of preference. */
class AnswerBuilderTest {
  static final long SEED = Long.getLong("dht.answer.seed", 0xA5_15L);

  static List<byte[]> addrs(Random r, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = LENGTHS[r.nextInt(LENGTHS.length)];
      out.add(len == 8 ? TestPeers.addr(i) : fat(len, r.nextInt(100)));
    }
    return out;
  }

  /** Address lengths offered: ip4/tcp, typical dns and webtransport forms, the per-address limit, padding. */
  static final int[] LENGTHS = {8, 20, 64, 200, 256, 600, 1024};

  static byte[] fat(int len, int salt) {
    return dev.weft.dht.limits.FatAddrs.of(1, len, salt).get(0);
  }

  @Test
  void everyAnswerFitsTheLimitAndDecodes() throws Exception {
    Random r = new Random(SEED);
    for (int round = 0; round < 200; round++) {
      List<PeerInfo> closer = new ArrayList<>();
      List<PeerInfo> provs = new ArrayList<>();
      for (int i = 0; i < r.nextInt(21); i++) closer.add(PeerInfo.of(TestPeers.peerId(r), addrs(r, r.nextInt(33))));
      for (int i = 0; i < r.nextInt(60); i++) provs.add(PeerInfo.of(TestPeers.peerId(r), addrs(r, r.nextInt(33))));
      DhtMessage.DhtRecord rec = r.nextBoolean() ? new DhtMessage.DhtRecord(new byte[] {1}, new byte[r.nextInt(DhtCodec.MAX_VALUE_BYTES + 1)], "") : null;
      DhtMessage m = AnswerBuilder.build(DhtMessage.Type.GET_PROVIDERS, new byte[] {1}, rec, closer, provs, DhtCodec.MAX_MESSAGE_BYTES, 8);
      byte[] wire = DhtCodec.encode(m);
      assertThat(wire.length).as("round %d, seed %d", round, SEED).isLessThanOrEqualTo(DhtCodec.MAX_MESSAGE_BYTES);
      assertThat(DhtCodec.decode(wire)).isEqualTo(m);
      assertThat(m.record()).isEqualTo(rec);
      assertThat(m.providerPeers()).allSatisfy(p -> assertThat(p.addrs()).hasSizeLessThanOrEqualTo(8));
      // preference order kept: what was sent is a prefix of what was offered, then at most a tail after the closer peers
      if (!m.providerPeers().isEmpty()) assertThat(m.providerPeers().get(0)).isEqualTo(provs.get(0));
    }
  }

  @Test
  void thePreferredProviderComesFirstEvenAmongTwentyFiveFatOnes() {
    Random r = new Random(SEED);
    PeerInfo honest = TestPeers.peer(r);
    List<PeerInfo> provs = new ArrayList<>(List.of(honest));
    for (int i = 0; i < 25; i++) provs.add(PeerInfo.of(TestPeers.peerId(r), dev.weft.dht.limits.FatAddrs.of(32, 1024, i)));
    List<PeerInfo> closer = TestPeers.peers(r, 20);
    DhtMessage m = AnswerBuilder.build(DhtMessage.Type.GET_PROVIDERS, new byte[] {1}, null, closer, provs, DhtCodec.MAX_MESSAGE_BYTES, 8);
    assertThat(DhtCodec.encode(m).length).isLessThanOrEqualTo(DhtCodec.MAX_MESSAGE_BYTES);
    assertThat(m.providerPeers().get(0)).isEqualTo(honest);
    assertThat(m.providerPeers().get(0).addrs()).hasSize(1);
    assertThat(m.closerPeers()).as("closer peers still fit, so the lookup can go on").hasSize(20);
    int naive = DhtCodec.encode(new DhtMessage(DhtMessage.Type.GET_PROVIDERS, new byte[] {1}, null, closer, provs.subList(0, 20))).length;
    assertThat(naive).as("the answer without fitting").isGreaterThan(DhtCodec.MAX_MESSAGE_BYTES);
  }
}
