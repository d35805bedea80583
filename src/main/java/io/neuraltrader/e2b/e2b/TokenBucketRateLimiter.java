package io.neuraltrader.e2b.e2b;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Token bucket on an injected clock. A caller that finds the bucket empty reserves the next token
 * and waits for it outside the lock, so concurrent callers queue up fairly at the sustained rate.
 */
public final class TokenBucketRateLimiter {
  private final RateLimit limit;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Runnable onThrottle;
  private double tokens;
  private Instant last;

  /** @param onThrottle called once per call that has to wait (a metric counter) */
  public TokenBucketRateLimiter(RateLimit limit, Clock clock, Sleeper sleeper, Runnable onThrottle) {
    this.limit = limit;
    this.clock = clock;
    this.sleeper = sleeper;
    this.onThrottle = onThrottle;
    this.tokens = limit.burst();
    this.last = clock.instant();
  }

  /** Takes one permit, waiting as long as needed. */
  public void acquire() throws InterruptedException {
    Duration wait = reserve();
    if (!wait.isZero()) {
      onThrottle.run();
      sleeper.sleep(wait);
    }
  }

  /** Takes a token (possibly going into debt) and returns how long the caller must wait for it. */
  synchronized Duration reserve() {
    Instant now = clock.instant();
    long elapsedNanos = Duration.between(last, now).toNanos();
    if (elapsedNanos > 0) {
      tokens = Math.min(limit.burst(), tokens + elapsedNanos * limit.permitsPerSecond() / 1e9);
      last = now;
    }
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-tokens / limit.permitsPerSecond() * 1e9));
  }
}
