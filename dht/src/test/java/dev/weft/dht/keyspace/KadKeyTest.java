package dev.weft.dht.keyspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.dht.TestPeers;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KadKeyTest {
  final Random r = new Random(7);

  KadKey random() {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return KadKey.ofPoint(b);
  }

  @Test
  void xorDistanceIsAMetric() {
    for (int i = 0; i < 200; i++) {
      KadKey a = random(), b = random(), c = random();
      assertThat(a.distance(a)).isEqualTo(KadKey.ofPoint(new byte[32]));
      assertThat(a.distance(b)).isEqualTo(b.distance(a));
      // triangle inequality holds for XOR as integers
      BigInteger ab = new BigInteger(1, a.distance(b).bytes());
      BigInteger bc = new BigInteger(1, b.distance(c).bytes());
      BigInteger ac = new BigInteger(1, a.distance(c).bytes());
      assertThat(ac).isLessThanOrEqualTo(ab.add(bc));
    }
  }

  @Test
  void compareDistanceMatchesBigIntegerOrder() {
    for (int i = 0; i < 500; i++) {
      KadKey t = random(), a = random(), b = random();
      int expected = new BigInteger(1, t.distance(a).bytes()).compareTo(new BigInteger(1, t.distance(b).bytes()));
      assertThat(Integer.signum(t.compareDistance(a, b))).isEqualTo(Integer.signum(expected));
    }
  }

  @Test
  void commonPrefixLengthCountsLeadingEqualBits() {
    byte[] x = new byte[32];
    byte[] y = new byte[32];
    assertThat(KadKey.ofPoint(x).commonPrefixLength(KadKey.ofPoint(y))).isEqualTo(256);
    y[0] = (byte) 0x80;
    assertThat(KadKey.ofPoint(x).commonPrefixLength(KadKey.ofPoint(y))).isZero();
    y[0] = 0;
    y[2] = 0x01;
    assertThat(KadKey.ofPoint(x).commonPrefixLength(KadKey.ofPoint(y))).isEqualTo(23);
    y[31] = 0x01;
    y[2] = 0;
    assertThat(KadKey.ofPoint(x).commonPrefixLength(KadKey.ofPoint(y))).isEqualTo(255);
  }

  @Test
  void withCommonPrefixLandsInTheRequestedBucket() {
    KadKey self = random();
    for (int cpl = 0; cpl < 256; cpl += 7) {
      byte[] tail = new byte[32];
      r.nextBytes(tail);
      assertThat(self.commonPrefixLength(self.withCommonPrefix(cpl, tail))).isEqualTo(cpl);
    }
    assertThatThrownBy(() -> self.withCommonPrefix(256, new byte[32])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void peerPointIsSha256OfPeerIdBytes() throws Exception {
    var id = TestPeers.peerId(r);
    byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(id.bytes());
    assertThat(KadKey.ofPeer(id).bytes()).isEqualTo(expected);
    assertThat(KadKey.ofPeer(id)).isEqualTo(KadKey.ofKey(id.bytes()));
  }
}
