package io.neuraltrader.e2b.local.runtime;

import java.time.Duration;

/**
 * What can go wrong with one operation. Rates are probabilities in [0, 1] drawn per request; reset, error
 * and rate-limit are exclusive outcomes (their sum must not exceed 1), latency applies to every request.
 *
 * <pre>
 * runtime.faults().set(Operation.CREATE, FaultPlan.none().withErrorRate(0.2).withLatency(Duration.ofMillis(50)));
 * </pre>
 *
 * @param errorRate answer 500, 502 or 503 (chosen at random)
 * @param rateLimitRate answer 429 with {@code Retry-After: retryAfterSeconds}
 * @param retryAfterSeconds the Retry-After value of a 429
 * @param latency real time added before answering
 * @param connectionResetRate reset the TCP connection without answering
 * @param lostCreateResponseRate create only: the sandbox is created, then the connection is reset
 * @param vanishRate sandbox traffic only (execute, contexts, health): the sandbox is lost the way E2B users see
 *     sandboxes vanish early: it is killed and the request gets the proxy's 502 "The sandbox was not found"
 */
public record FaultPlan(
    double errorRate,
    double rateLimitRate,
    int retryAfterSeconds,
    Duration latency,
    double connectionResetRate,
    double lostCreateResponseRate,
    double vanishRate) {

  private static final FaultPlan NONE = new FaultPlan(0, 0, 1, Duration.ZERO, 0, 0, 0);

  public FaultPlan {
    check("errorRate", errorRate);
    check("rateLimitRate", rateLimitRate);
    check("connectionResetRate", connectionResetRate);
    check("lostCreateResponseRate", lostCreateResponseRate);
    check("vanishRate", vanishRate);
    if (errorRate + rateLimitRate + connectionResetRate > 1.0 + 1e-9) {
      throw new IllegalArgumentException("errorRate + rateLimitRate + connectionResetRate must be <= 1");
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
    }
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("latency must be >= 0");
    }
  }

  /** No faults at all. */
  public static FaultPlan none() {
    return NONE;
  }

  public boolean isNone() {
    return errorRate == 0 && rateLimitRate == 0 && connectionResetRate == 0 && lostCreateResponseRate == 0
        && vanishRate == 0 && latency.isZero();
  }

  public FaultPlan withErrorRate(double rate) {
    return new FaultPlan(rate, rateLimitRate, retryAfterSeconds, latency,
        connectionResetRate, lostCreateResponseRate, vanishRate);
  }

  public FaultPlan withRateLimitRate(double rate) {
    return new FaultPlan(errorRate, rate, retryAfterSeconds, latency,
        connectionResetRate, lostCreateResponseRate, vanishRate);
  }

  public FaultPlan withRetryAfterSeconds(int seconds) {
    return new FaultPlan(errorRate, rateLimitRate, seconds, latency,
        connectionResetRate, lostCreateResponseRate, vanishRate);
  }

  public FaultPlan withLatency(Duration value) {
    return new FaultPlan(errorRate, rateLimitRate, retryAfterSeconds, value,
        connectionResetRate, lostCreateResponseRate, vanishRate);
  }

  public FaultPlan withConnectionResetRate(double rate) {
    return new FaultPlan(errorRate, rateLimitRate, retryAfterSeconds, latency,
        rate, lostCreateResponseRate, vanishRate);
  }

  public FaultPlan withLostCreateResponseRate(double rate) {
    return new FaultPlan(errorRate, rateLimitRate, retryAfterSeconds, latency, connectionResetRate, rate, vanishRate);
  }

  public FaultPlan withVanishRate(double rate) {
    return new FaultPlan(errorRate, rateLimitRate, retryAfterSeconds, latency, connectionResetRate,
        lostCreateResponseRate, rate);
  }

  private static void check(String name, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + " must be within [0, 1], got " + rate);
    }
  }
}
