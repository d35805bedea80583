package io.neuraltrader.e2b.client;

import java.time.Duration;
import java.util.Random;

/**
 * Bounds on retrying a call: attempts and total time, with exponential backoff and full jitter.
 *
 * @param maxAttempts total attempts including the first (1 disables retries)
 * @param initialBackoff the backoff cap before the first retry
 * @param maxBackoff the largest backoff cap
 * @param maxTotalTime no retry is started if its wait would end later than this after the first attempt
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotalTime) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    requirePositive("initialBackoff", initialBackoff);
    requirePositive("maxBackoff", maxBackoff);
    requirePositive("maxTotalTime", maxTotalTime);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be >= initialBackoff");
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1));
  }

  /** Upper bound of the wait before retry number {@code retry} (0-based): min(max, initial * 2^retry). */
  public Duration backoffCap(int retry) {
    int shift = Math.min(Math.max(retry, 0), 30);
    long capNanos = initialBackoff.toNanos();
    for (int i = 0; i < shift && capNanos < maxBackoff.toNanos(); i++) {
      capNanos *= 2;
    }
    return Duration.ofNanos(Math.min(capNanos, maxBackoff.toNanos()));
  }

  /** Full jitter: uniformly random in [0, backoffCap(retry)]. */
  public Duration backoff(int retry, Random random) {
    long cap = backoffCap(retry).toNanos();
    return Duration.ofNanos((long) (random.nextDouble() * cap));
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
