package io.neuraltrader.e2b.reconcile;

import java.time.Duration;

/**
 * When a failed reconcile tries again. A transient failure waits base x 2^(attempt-1), capped at {@code max};
 * a permanent one (an unknown template, refused credentials, an invalid spec) is not retried on a short cycle
 * at all: only when its inputs change, or after {@code permanent} (the input may be outside the cluster, e.g. a
 * template that is built later). Never a hot loop.
 */
public record Backoff(Duration base, Duration max, Duration permanent) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(1));

  public Backoff {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || permanent.compareTo(max) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= max <= permanent, got " + base + ", " + max
          + ", " + permanent);
    }
  }

  public Duration delay(int attempt) {
    if (attempt <= 1) {
      return base;
    }
    long factor = 1L << Math.min(attempt - 1, 20);
    Duration d = base.multipliedBy(factor);
    return d.compareTo(max) > 0 ? max : d;
  }

  /** The wait before attempt {@code attempt + 1}: the long cap for a permanent failure. */
  public Duration delay(int attempt, boolean permanentFailure) {
    return permanentFailure ? permanent : delay(attempt);
  }
}
