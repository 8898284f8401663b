package dev.weft.dht.record;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.dht.TestEd25519;

/**
 * Arbitrary keys and values only ever get a valid / {@link InvalidRecordException} answer from the
 * validators (and a selector index in range), never another exception.
 */
class RecordValidatorFuzzTest {
  static final ValidatorRegistry REGISTRY = ValidatorRegistry.standard(TestEd25519::decode);

  @FuzzTest(maxDuration = "10s")
  void validatorsNeverThrowAnythingElse(FuzzedDataProvider data) {
    int ns = data.consumeInt(0, 2);
    String prefix = ns == 0 ? Keys.PK_PREFIX : ns == 1 ? Keys.WEFT_RUN_PREFIX : "";
    byte[] suffix = data.consumeBytes(200);
    byte[] key = new byte[prefix.length() + suffix.length];
    System.arraycopy(prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, key, 0, prefix.length());
    System.arraycopy(suffix, 0, key, prefix.length(), suffix.length);
    byte[] a = data.consumeBytes(2000);
    byte[] b = data.consumeRemainingAsBytes();
    try {
      REGISTRY.validate(key, a, 1_767_225_600_000L);
    } catch (InvalidRecordException expected) {
      // rejected with a reason: fine
    }
    int i = REGISTRY.select(key, java.util.List.of(a, b));
    if (i < 0 || i > 1) throw new AssertionError("select out of range: " + i);
    REGISTRY.expiresAt(key, a);
  }
}
