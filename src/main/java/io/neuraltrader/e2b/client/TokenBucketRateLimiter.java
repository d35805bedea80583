package io.neuraltrader.e2b.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Token bucket on an injected clock. A caller that finds the bucket empty reserves the next token
 * and waits for it outside the lock, so concurrent callers queue up fairly at the sustained rate.
 *
 * <p>Priority calls (the keep-alive renewals and kills that bound how long sandboxes live) still take
 * their token from the shared bucket, so ordinary calls queued behind them wait longer, but they are only
 * paced by a bucket of their own: a backlog of creates can never delay a renewal past a sandbox's timeout.
 */
public final class TokenBucketRateLimiter {
  private final RateLimit limit;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Runnable onThrottle;
  private double tokens;
  private Instant last;
  private double priorityTokens;
  private Instant priorityLast;

  /** @param onThrottle called once per call that has to wait (a metric counter) */
  public TokenBucketRateLimiter(RateLimit limit, Clock clock, Sleeper sleeper, Runnable onThrottle) {
    this.limit = limit;
    this.clock = clock;
    this.sleeper = sleeper;
    this.onThrottle = onThrottle;
    this.tokens = limit.burst();
    this.last = clock.instant();
    this.priorityTokens = limit.burst();
    this.priorityLast = last;
  }

  /** Takes one permit, waiting as long as needed. */
  public void acquire() throws InterruptedException {
    acquire(false);
  }

  /** Takes one permit; a priority caller does not wait behind the ordinary queue. */
  public void acquire(boolean priority) throws InterruptedException {
    Duration wait = priority ? reservePriority() : reserve();
    if (!wait.isZero()) {
      onThrottle.run();
      sleeper.sleep(wait);
    }
  }

  /** Charges the shared bucket, but waits only for the priority lane's own pace. */
  synchronized Duration reservePriority() {
    reserve();
    Instant now = clock.instant();
    long elapsedNanos = Duration.between(priorityLast, now).toNanos();
    if (elapsedNanos > 0) {
      priorityTokens = Math.min(limit.burst(), priorityTokens + elapsedNanos * limit.permitsPerSecond() / 1e9);
      priorityLast = now;
    }
    priorityTokens -= 1;
    if (priorityTokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-priorityTokens / limit.permitsPerSecond() * 1e9));
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
