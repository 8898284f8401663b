package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import java.util.List;
import dev.weft.node.round.msg.Signed;

/**
 * Tendermint's locking state (Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus",
 * 2018, Algorithm 1): the value this voter precommitted last (locked) and the latest value it saw
 * a prevote quorum for (valid, which a leader must re-propose). A voter locked at view L prevotes a
 * different value only with a proof of a quorum for it at a view ≥ L — so once a quorum has
 * precommitted a value, no other value can gather a prevote quorum in a later view.
 */
final class Locks {
  private Digest lockedValue;
  private int lockedView = -1;
  private CheckedValue validValue;
  private Digest validRoot;
  private int validView = -1;
  private List<Signed> validProof = List.of();

  /** May this voter prevote {@code value}, offered with a proof of lock from {@code polView} (-1: none)? */
  boolean mayPrevote(Digest value, int polView) {
    if (lockedValue == null || lockedValue.equals(value)) return true;
    return polView >= 0 && polView >= lockedView;
  }

  void lock(Digest value, int view) {
    lockedValue = value;
    lockedView = view;
  }

  void noteValid(CheckedValue value, Digest root, int view, List<Signed> proof) {
    if (view > validView) {
      validValue = value;
      validRoot = root;
      validView = view;
      validProof = List.copyOf(proof);
    }
  }

  CheckedValue validValue() {
    return validValue;
  }

  int validView() {
    return validView;
  }

  Digest validRoot() {
    return validRoot;
  }

  List<Signed> validProof() {
    return validProof;
  }

  int lockedView() {
    return lockedView;
  }

  Digest lockedValue() {
    return lockedValue;
  }
}
