package io.neuraltrader.e2b.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.neuraltrader.e2b.observability.AnomalyMetrics;
import io.neuraltrader.e2b.observability.MetricNames;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** Per-agent runs, equity and PnL. */
public final class AgentMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<double[]>> values = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

  private final AnomalyMetrics anomalies;

  public AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.anomalies = new AnomalyMetrics(registry);
  }

  /** The agents' {@code e2b_anomalous} and {@code e2b_error_rate} gauges. */
  AnomalyMetrics anomalies() {
    return anomalies;
  }

  public void run(String namespace, String agent, String outcome) {
    Counter.builder(MetricNames.AGENT_RUNS).tag("namespace", namespace).tag("agent", agent).tag("outcome", outcome)
        .description("Agent ticks by outcome (success, failure, cached)").register(registry).increment();
  }

  public void portfolio(String namespace, String agent, double equity, double pnl) {
    String key = namespace + "/" + agent;
    values.computeIfAbsent(key, k -> {
      AtomicReference<double[]> ref = new AtomicReference<>(new double[2]);
      meters.put(k, List.of(
          Gauge.builder(MetricNames.AGENT_EQUITY, ref, r -> r.get()[0]).tag("namespace", namespace)
              .tag("agent", agent).description("Paper equity in USD").register(registry),
          Gauge.builder(MetricNames.AGENT_PNL, ref, r -> r.get()[1]).tag("namespace", namespace)
              .tag("agent", agent).description("Paper PnL in USD (equity - capital)").register(registry)));
      return ref;
    }).set(new double[] {equity, pnl});
  }

  public void forget(String namespace, String agent) {
    String key = namespace + "/" + agent;
    values.remove(key);
    List<Meter> m = meters.remove(key);
    if (m != null) {
      m.forEach(registry::remove);
    }
  }
}
