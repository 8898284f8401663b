package dev.weft.dht.record;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validators by key namespace prefix ({@code /pk/}, {@code /weft/run/}...). The longest
 * registered prefix of a key picks its validator; a key in no registered namespace is refused,
 * as go does (js echoes such a put without storing it). Immutable once built; thread-safe.
 */
public final class ValidatorRegistry {
  /** Largest value in any namespace; same as the codec's record limit. */
  public static final int MAX_VALUE_BYTES = 16 * 1024;

  private final Map<String, Validator> byPrefix;

  private ValidatorRegistry(Map<String, Validator> byPrefix) {
    this.byPrefix = Map.copyOf(byPrefix);
  }

  /** {@code /pk/} and {@code /weft/run/}: what every weft node accepts. */
  public static ValidatorRegistry standard(PubKeyDecoder decoder) {
    return builder().register(Keys.PK_PREFIX, new PublicKeyValidator()).register(Keys.WEFT_RUN_PREFIX, SignedRecordValidator.weftRun(decoder)).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects namespace validators. */
  public static final class Builder {
    private final Map<String, Validator> map = new LinkedHashMap<>();

    /** {@code prefix} must start and end with '/'. */
    public Builder register(String prefix, Validator v) {
      if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 3) throw new IllegalArgumentException("namespace prefix must look like /ns/: " + prefix);
      map.put(prefix, v);
      return this;
    }

    public ValidatorRegistry build() {
      return new ValidatorRegistry(map);
    }
  }

  /** The validator for {@code key}, or null when no namespace matches. */
  public Validator validatorFor(byte[] key) {
    Validator best = null;
    int bestLen = -1;
    for (Map.Entry<String, Validator> e : byPrefix.entrySet()) {
      if (e.getKey().length() > bestLen && Keys.hasPrefix(key, e.getKey())) {
        best = e.getValue();
        bestLen = e.getKey().length();
      }
    }
    return best;
  }

  /** Validates with the key's namespace validator, after the global size limit. */
  public void validate(byte[] key, byte[] value, long nowEpochMillis) throws InvalidRecordException {
    if (value.length > MAX_VALUE_BYTES) throw new InvalidRecordException("value of " + value.length + " bytes exceeds " + MAX_VALUE_BYTES);
    Validator v = validatorFor(key);
    if (v == null) throw new InvalidRecordException("no validator for the key's namespace");
    v.validate(key, value, nowEpochMillis);
  }

  /** When a stored, once-validated value expires (see {@link Validator#expiresAt}); MIN_VALUE for unknown namespaces. */
  public long expiresAt(byte[] key, byte[] value) {
    Validator v = validatorFor(key);
    return v == null ? Long.MIN_VALUE : v.expiresAt(key, value);
  }

  /** Index of the best of {@code values} (each already valid) for {@code key}. */
  public int select(byte[] key, List<byte[]> values) {
    Validator v = validatorFor(key);
    return v == null || values.isEmpty() ? 0 : v.select(key, values);
  }
}
