package io.neuraltrader.e2b.client;

import java.time.Duration;

/**
 * Circuit breaker tuning.
 *
 * @param windowSize how many recent calls are judged
 * @param minimumCalls no decision until this many calls are in the window
 * @param failureRateThreshold fraction (0..1] of failed calls that opens the circuit
 * @param openDuration how long an open circuit refuses calls before letting one trial through
 */
public record BreakerSettings(int windowSize, int minimumCalls, double failureRateThreshold, Duration openDuration) {

  public BreakerSettings {
    if (windowSize < 1) {
      throw new IllegalArgumentException("windowSize must be >= 1, got " + windowSize);
    }
    if (minimumCalls < 1 || minimumCalls > windowSize) {
      throw new IllegalArgumentException("minimumCalls must be in [1, windowSize], got " + minimumCalls);
    }
    if (!(failureRateThreshold > 0 && failureRateThreshold <= 1)) {
      throw new IllegalArgumentException("failureRateThreshold must be in (0, 1], got " + failureRateThreshold);
    }
    if (openDuration == null || openDuration.isNegative() || openDuration.isZero()) {
      throw new IllegalArgumentException("openDuration must be positive, got " + openDuration);
    }
  }

  public static BreakerSettings defaults() {
    return new BreakerSettings(20, 10, 0.5, Duration.ofSeconds(30));
  }
}
