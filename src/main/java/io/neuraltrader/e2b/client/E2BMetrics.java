package io.neuraltrader.e2b.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Metric names and recording. {@code e2b.requests} has one sample per HTTP attempt (and per call
 * refused by the breaker), so a retried call shows its failed attempts and its final outcome.
 */
public final class E2BMetrics {
  /** Timer, tags operation + outcome; Prometheus e2b_requests_seconds_{count,sum,bucket}. */
  public static final String REQUESTS = "e2b.requests";
  /** Counter, tags operation + reason (the outcome that caused the retry). */
  public static final String RETRIES = "e2b.retries";
  /** Gauge, tag api (control|execute): 0 closed, 1 half-open, 2 open. */
  public static final String CIRCUIT_STATE = "e2b.circuit.state";
  /** Counter: calls that had to wait for the rate limiter. */
  public static final String THROTTLED = "e2b.ratelimiter.throttled";

  public static final String TAG_OPERATION = "operation";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_REASON = "reason";
  public static final String TAG_API = "api";
  /** Which client a breaker belongs to: one per set of credentials; a name, never the key. */
  public static final String TAG_CLIENT = "client";
  private static final java.util.concurrent.atomic.AtomicInteger UNNAMED = new java.util.concurrent.atomic.AtomicInteger();

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> retries = new ConcurrentHashMap<>();
  private final Counter throttled;

  private final String clientName;
  private final java.util.List<io.micrometer.core.instrument.Meter> gauges = new java.util.concurrent.CopyOnWriteArrayList<>();

  public E2BMetrics(MeterRegistry registry) {
    this(registry, null);
  }

  /** {@code clientName} null: a unique name, so clients sharing a registry never hide each other's breakers. */
  public E2BMetrics(MeterRegistry registry, String clientName) {
    this.registry = registry;
    this.clientName = clientName != null ? clientName : "client-" + UNNAMED.incrementAndGet();
    this.throttled = Counter.builder(THROTTLED)
        .description("E2B control-plane calls that waited for the client-side rate limiter")
        .register(registry);
  }

  void recordRequest(Operation operation, Outcome outcome, long nanos) {
    timers.computeIfAbsent(operation.tag() + '/' + outcome.tag(), k -> Timer.builder(REQUESTS)
        .description("E2B API requests by operation and outcome")
        .tag(TAG_OPERATION, operation.tag())
        .tag(TAG_OUTCOME, outcome.tag())
        .publishPercentileHistogram(true)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  void recordRetry(Operation operation, Outcome reason) {
    retries.computeIfAbsent(operation.tag() + '/' + reason.tag(), k -> Counter.builder(RETRIES)
        .description("E2B calls retried, by the outcome that caused the retry")
        .tag(TAG_OPERATION, operation.tag())
        .tag(TAG_REASON, reason.tag())
        .register(registry)).increment();
  }

  void recordThrottled() {
    throttled.increment();
  }

  void registerBreaker(CircuitBreaker breaker) {
    gauges.add(Gauge.builder(CIRCUIT_STATE, breaker, b -> b.state().gaugeValue())
        .description("E2B circuit breaker state: 0 closed, 1 half-open, 2 open")
        .tag(TAG_API, breaker.api().tag())
        .tag(TAG_CLIENT, clientName)
        .strongReference(true)
        .register(registry));
  }

  /** Removes this client's gauges: a closed client's breaker must not keep reporting. */
  void close() {
    gauges.forEach(registry::remove);
    gauges.clear();
  }
}
