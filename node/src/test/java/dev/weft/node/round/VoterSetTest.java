package dev.weft.node.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VoterSetTest {
  static List<PeerKey> keys(int n) {
    List<PeerKey> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new PeerKey(Digest.of(new byte[] {(byte) i}).bytes()));
    out.sort(null);
    return out;
  }

  @Test
  void toleratesAThirdAndQuorumsIntersectInAnHonestVoter() {
    int[][] cases = {{1, 0, 1}, {3, 0, 3}, {4, 1, 3}, {7, 2, 5}, {10, 3, 7}, {16, 5, 11}, {256, 85, 171}};
    for (int[] c : cases) {
      VoterSet v = new VoterSet(keys(c[0]));
      assertEquals(c[1], v.f(), "f for n=" + c[0]);
      assertEquals(c[2], v.quorum(), "q for n=" + c[0]);
      // two quorums share 2q-n voters; more than f of them means one is honest
      assertEquals(true, 2 * v.quorum() - v.n() >= v.f() + 1);
    }
  }

  @Test
  void leaderRotationVisitsEveryVoterAndDependsOnTheSeed() {
    VoterSet v = new VoterSet(keys(7));
    Digest s1 = Digest.of(new byte[] {1}), s2 = Digest.of(new byte[] {2});
    Set<PeerKey> seen = new HashSet<>();
    for (int view = 0; view < 7; view++) seen.add(v.leader(s1, 5, view));
    assertEquals(7, seen.size());
    assertEquals(v.leader(s1, 5, 0), v.leader(s1, 5, 7));
    int differs = 0;
    for (int r = 0; r < 20; r++) if (!v.leader(s1, r, 0).equals(v.leader(s2, r, 0))) differs++;
    assertNotEquals(0, differs);
  }

  @Test
  void unsortedVotersAreRefused() {
    List<PeerKey> k = new ArrayList<>(keys(3));
    java.util.Collections.reverse(k);
    assertThrows(IllegalArgumentException.class, () -> new VoterSet(k));
  }
}
