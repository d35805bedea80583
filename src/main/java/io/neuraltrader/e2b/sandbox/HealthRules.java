package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.api.v1alpha1.HealthState;
import java.time.Duration;

/**
 * A sandbox's health from its execution record: more than 10% failed executions is Unhealthy; an average
 * execution over 2 s, or no activity for over an hour, is Degraded. Fewer than {@code MIN_EXECUTIONS}
 * executions are too few to judge an error rate.
 */
public final class HealthRules {
  public static final double UNHEALTHY_ERROR_RATE = 0.10;
  public static final Duration DEGRADED_LATENCY = Duration.ofSeconds(2);
  public static final Duration DEGRADED_IDLE = Duration.ofHours(1);
  public static final int MIN_EXECUTIONS = 5;

  private HealthRules() {}

  public static HealthState evaluate(long executions, long errors, long averageMs, Duration idle) {
    if (executions >= MIN_EXECUTIONS && (double) errors / executions > UNHEALTHY_ERROR_RATE) {
      return HealthState.Unhealthy;
    }
    if (executions > 0 && averageMs > DEGRADED_LATENCY.toMillis()) {
      return HealthState.Degraded;
    }
    if (idle != null && idle.compareTo(DEGRADED_IDLE) > 0) {
      return HealthState.Degraded;
    }
    return HealthState.Healthy;
  }
}
