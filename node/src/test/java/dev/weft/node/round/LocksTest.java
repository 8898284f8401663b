package dev.weft.node.round;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.node.round.msg.Digest;
import org.junit.jupiter.api.Test;

class LocksTest {
  final Digest a = Digest.of(new byte[] {1}), b = Digest.of(new byte[] {2});

  @Test
  void unlockedVoterPrevotesAnything() {
    Locks l = new Locks();
    assertTrue(l.mayPrevote(a, -1));
    assertTrue(l.mayPrevote(b, -1));
  }

  @Test
  void lockedVoterNeedsAProofOfLockAtLeastAsRecent() {
    Locks l = new Locks();
    l.lock(a, 2);
    assertTrue(l.mayPrevote(a, -1));
    assertFalse(l.mayPrevote(b, -1), "another value without proof");
    assertFalse(l.mayPrevote(b, 1), "proof older than the lock");
    assertTrue(l.mayPrevote(b, 2), "proof from the lock's view or later releases it");
    assertTrue(l.mayPrevote(b, 3));
  }
}
