package dev.weft.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerScoresTest {
  private final Random random = new Random(11);

  @Test
  void misbehaviourAccumulatesToABanThatExpires() {
    PeerScores s = new PeerScores();
    PeerId p = TestPeers.peerId(random);
    assertThat(s.penalise(p, PeerScores.Offence.MALFORMED_MESSAGE, 0)).isFalse();
    assertThat(s.score(p)).isEqualTo(-50);
    assertThat(s.penalise(p, PeerScores.Offence.MALFORMED_MESSAGE, 10)).isTrue();
    assertThat(s.isBanned(p, 10 + PeerScores.BAN_MILLIS - 1)).isTrue();
    assertThat(s.isBanned(p, 10 + PeerScores.BAN_MILLIS)).isFalse();
  }

  @Test
  void manyThrowAwayIdentitiesDoNotWashOutABan() {
    PeerScores s = new PeerScores();
    PeerId banned = TestPeers.peerId(random);
    s.penalise(banned, PeerScores.Offence.MALFORMED_MESSAGE, 0);
    assertThat(s.penalise(banned, PeerScores.Offence.MALFORMED_MESSAGE, 0)).isTrue();
    PeerId lastSybil = null;
    for (int i = 0; i < 2 * PeerScores.MAX_TRACKED; i++) {
      lastSybil = TestPeers.peerId(random);
      s.penalise(lastSybil, PeerScores.Offence.WRONG_RESPONSE, 1);
    }
    assertThat(s.isBanned(banned, 2)).isTrue();
    assertThat(s.tracked()).isEqualTo(PeerScores.MAX_TRACKED);
    assertThat(s.score(lastSybil)).isEqualTo(-PeerScores.Offence.WRONG_RESPONSE.penalty);
  }

  @Test
  void whenEveryTrackedPeerIsBannedTheOldestBanIsForgotten() {
    PeerScores s = new PeerScores();
    PeerId first = null;
    for (int i = 0; i <= PeerScores.MAX_TRACKED; i++) {
      PeerId p = TestPeers.peerId(random);
      if (first == null) first = p;
      s.penalise(p, PeerScores.Offence.MALFORMED_MESSAGE, 0);
      s.penalise(p, PeerScores.Offence.MALFORMED_MESSAGE, 0);
    }
    assertThat(s.tracked()).isEqualTo(PeerScores.MAX_TRACKED);
    assertThat(s.isBanned(first, 1)).isFalse();
  }
}
