package dev.weft.crdt.delta;

import dev.weft.crdt.type.CrdtType;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which keys a run's state has, what CRDT each holds and who may write it: a list of
 * {@link KeyRule} declarations, one per key prefix, checked in order (first match wins). A key no
 * rule matches cannot be written. Immutable; built with {@link #builder}.
 */
public final class Schema {
  private final PeerId coordinator;
  private final List<KeyRule> rules;

  private Schema(PeerId coordinator, List<KeyRule> rules) {
    this.coordinator = coordinator;
    this.rules = List.copyOf(rules);
  }

  public static Builder builder(PeerId coordinator) {
    return new Builder(coordinator);
  }

  public PeerId coordinator() {
    return coordinator;
  }

  public List<KeyRule> rules() {
    return rules;
  }

  /** A rule with the variables it bound. */
  public record Match(KeyRule rule, Map<String, String> vars) {}

  public Optional<Match> match(String key) {
    for (KeyRule r : rules) {
      Optional<Map<String, String>> v = r.pattern().match(key);
      if (v.isPresent()) return Optional.of(new Match(r, v.get()));
    }
    return Optional.empty();
  }

  /** Collects declarations. */
  public static final class Builder {
    private final PeerId coordinator;
    private final List<KeyRule> rules = new ArrayList<>();
    private int defaultMaxDeltaBytes = 16 << 10;

    Builder(PeerId coordinator) {
      this.coordinator = coordinator;
    }

    public Builder defaultMaxDeltaBytes(int bytes) {
      this.defaultMaxDeltaBytes = bytes;
      return this;
    }

    public Builder declare(String pattern, CrdtType type, WriteRule rule) {
      return declare(pattern, type, rule, defaultMaxDeltaBytes);
    }

    public Builder declare(String pattern, CrdtType type, WriteRule rule, int maxDeltaBytes) {
      rules.add(new KeyRule(KeyPattern.parse(pattern), type, rule, maxDeltaBytes));
      return this;
    }

    public Schema build() {
      return new Schema(coordinator, rules);
    }
  }
}
