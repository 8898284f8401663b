package dev.weft.node.train.diloco;

import java.util.ArrayList;
import java.util.List;

/** Which workers take part in each round: workers may drop out or join between rounds. */
@FunctionalInterface
public interface RoundMembership {
  /** Worker ids active in {@code round} (0-based); never empty. */
  List<String> active(int round);

  /** The same {@code n} workers, {@code worker-0..n-1}, every round. */
  static RoundMembership fixed(int n) {
    List<String> ids = ids(n);
    return round -> ids;
  }

  static List<String> ids(int n) {
    if (n < 1) throw new IllegalArgumentException("need at least one worker");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add("worker-" + i);
    return List.copyOf(ids);
  }
}
