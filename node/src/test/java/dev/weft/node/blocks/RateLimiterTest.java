package dev.weft.node.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The serving limit: over any stretch of time, what is sent stays within rate × time + burst. */
class RateLimiterTest {
  @Test
  void sendsNoFasterThanTheRateWhateverTheRequestPattern() {
    long rate = 1 << 20;
    long burst = rate / 4;
    for (long seed = 0; seed < 20; seed++) {
      Random r = new Random(seed);
      RateLimiter l = new RateLimiter(rate);
      long now = 0;
      long firstSend = -1;
      long lastSend = 0;
      long sent = 0;
      for (int i = 0; i < 500; i++) {
        now += r.nextInt(3) == 0 ? r.nextInt(200) : 0;
        int bytes = 1 + r.nextInt(300_000);
        long sendAt = now + l.reserve(bytes, now);
        if (firstSend < 0) firstSend = sendAt;
        lastSend = Math.max(lastSend, sendAt);
        sent += bytes;
        // everything sent by sendAt fits in rate x elapsed + burst + one message's rounding
        long allowed = rate * (sendAt - firstSend) / 1000 + burst + 300_000;
        assertThat(sent).as("seed %d after %d messages", seed, i).isLessThanOrEqualTo(allowed);
      }
      // and it does not throttle harder than asked: the whole schedule takes about sent / rate
      assertThat(lastSend - firstSend).as("seed " + seed).isLessThanOrEqualTo(sent * 1000 / rate + 1000);
    }
  }

  @Test
  void withoutALimitNothingWaits() {
    RateLimiter l = new RateLimiter(0);
    for (int i = 0; i < 100; i++) assertThat(l.reserve(1 << 20, 0)).isZero();
  }

  @Test
  void anIdleBucketAnswersAtOnceButHoldsNoMoreThanItsBurst() {
    RateLimiter l = new RateLimiter(1000);
    assertThat(l.reserve(250, 0)).isZero();
    assertThat(l.reserve(250, 0)).isEqualTo(250);
    // a long idle period is no credit beyond the burst
    assertThat(l.reserve(250, 100_000)).isZero();
    assertThat(l.reserve(250, 100_000)).isEqualTo(250);
  }
}
