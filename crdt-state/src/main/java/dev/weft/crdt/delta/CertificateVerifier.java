package dev.weft.crdt.delta;

import dev.weft.crdt.type.Bytes;
import java.util.Map;

/**
 * Checks a seal certificate written under a key (the node supplies it: it knows the committee of
 * each round). Must be a pure function of its arguments, so every replica decides alike.
 */
@FunctionalInterface
public interface CertificateVerifier {
  /** Whether {@code certificate} carries a quorum of valid signatures for {@code key}. */
  boolean verify(String key, Map<String, String> keyVariables, Bytes certificate);
}
