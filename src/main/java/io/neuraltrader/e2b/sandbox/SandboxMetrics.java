package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.CostModel;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.HealthState;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.observability.AnomalyMetrics;
import io.neuraltrader.e2b.observability.MetricNames;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** Sandbox metrics; gauges are computed from the informer cache at scrape time, so they cannot drift. */
public final class SandboxMetrics {
  private final AtomicReference<IndexerResourceCache<E2BSandbox>> cache = new AtomicReference<>();
  private final Timer createLatency;
  private final Counter restarts;
  private final Counter renewals;
  private final Counter cost;
  private final CostModel costModel;
  private final AnomalyMetrics anomalies;
  private final MeterRegistry registry;

  public SandboxMetrics(MeterRegistry registry, CostModel costModel) {
    this.registry = registry;
    this.costModel = costModel;
    this.anomalies = new AnomalyMetrics(registry);
    for (SandboxPhase phase : SandboxPhase.values()) {
      Gauge.builder(MetricNames.SANDBOXES, () -> count(r -> r.getStatus() != null
              && r.getStatus().getPhase() == phase))
          .tag("phase", phase.name()).description("E2BSandbox resources by phase").register(registry);
    }
    for (HealthState health : HealthState.values()) {
      Gauge.builder(MetricNames.SANDBOXES_BY_HEALTH, () -> count(r -> r.getStatus() != null
              && r.getStatus().getHealth() == health))
          .tag("health", health.name()).description("E2BSandbox resources by health").register(registry);
    }
    Gauge.builder(MetricNames.ESTIMATED_COST_PER_HOUR, this::costPerHour)
        .description("Estimated E2B cost per hour of the sandboxes running now").register(registry);
    createLatency = Timer.builder(MetricNames.SANDBOX_CREATE_LATENCY).publishPercentileHistogram()
        .description("From deciding to create a sandbox to it Running (lookup + create)").register(registry);
    restarts = Counter.builder(MetricNames.SANDBOX_RESTARTS)
        .description("Sandboxes recreated after E2B lost them").register(registry);
    renewals = Counter.builder(MetricNames.KEEPALIVE_RENEWALS)
        .description("E2B timeout renewals (keep-alive)").register(registry);
    cost = Counter.builder(MetricNames.ESTIMATED_COST).baseUnit("usd")
        .description("Estimated E2B cost accrued by sandboxes").register(registry);
  }

  /** {@code e2b_sandboxes_waiting_create_slot}: how many sandboxes wait for a create slot now. */
  void createSlotWaiters(java.util.function.IntSupplier waiting) {
    Gauge.builder(MetricNames.SANDBOXES_WAITING_FOR_CREATE_SLOT, waiting::getAsInt)
        .description("Sandboxes waiting for an E2B create slot (E2B_MAX_CONCURRENT_CREATES)").register(registry);
  }

  public void bind(IndexerResourceCache<E2BSandbox> primaryCache) {
    cache.set(primaryCache);
  }

  /** The sandbox's error-rate verdict ({@code e2b_anomalous}, {@code e2b_error_rate}). */
  public void anomaly(E2BSandbox sandbox, boolean anomalous, Double rate) {
    anomalies.record(sandbox.getMetadata().getNamespace(), E2BSandbox.class.getSimpleName(),
        sandbox.getMetadata().getName(), anomalous, rate);
  }

  /** A deleted sandbox is no longer anomalous. */
  public void forgetAnomaly(E2BSandbox sandbox) {
    anomalies.forget(sandbox.getMetadata().getNamespace(), E2BSandbox.class.getSimpleName(),
        sandbox.getMetadata().getName());
  }

  public void created(Duration took) {
    createLatency.record(took);
  }

  public void restarted() {
    restarts.increment();
  }

  public void renewed() {
    renewals.increment();
  }

  public void accrued(double usd) {
    if (usd > 0) {
      cost.increment(usd);
    }
  }

  private double count(Predicate<E2BSandbox> predicate) {
    IndexerResourceCache<E2BSandbox> c = cache.get();
    return c == null ? 0 : c.list().filter(predicate).count();
  }

  private double costPerHour() {
    IndexerResourceCache<E2BSandbox> c = cache.get();
    if (c == null) {
      return 0;
    }
    return c.list().filter(r -> r.getStatus() != null && r.getStatus().getPhase() == SandboxPhase.Running)
        .mapToDouble(r -> costModel.perHour(nz(r.getStatus().getCpuCount()), nz(r.getStatus().getMemoryMB())))
        .sum();
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }
}
