package io.neuraltrader.e2b.reconcile;

import java.time.Duration;

/** Exponential backoff for retrying failed reconciles: base x 2^(attempt-1), capped. Never a hot loop. */
public record Backoff(Duration base, Duration max) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5));

  public Duration delay(int attempt) {
    if (attempt <= 1) {
      return base;
    }
    long factor = 1L << Math.min(attempt - 1, 20);
    Duration d = base.multipliedBy(factor);
    return d.compareTo(max) > 0 ? max : d;
  }
}
