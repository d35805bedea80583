package io.neuraltrader.e2b.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code e2b_anomalous} and {@code e2b_error_rate} gauges of each resource judged for error-rate anomalies. */
public final class AnomalyMetrics {
  private final MeterRegistry registry;
  private final Map<List<String>, double[]> values = new ConcurrentHashMap<>();

  public AnomalyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records a verdict: {@code rate} null (not enough executions) reads as 0. */
  public void record(String namespace, String kind, String name, boolean anomalous, Double rate) {
    double[] v = values.computeIfAbsent(List.of(namespace, kind, name), key -> {
      double[] fresh = new double[2];
      Gauge.builder(MetricNames.ANOMALOUS, fresh, a -> a[0]).tag("namespace", namespace).tag("kind", kind)
          .tag("name", name).description("1 while the resource's error rate is anomalous").register(registry);
      Gauge.builder(MetricNames.ERROR_RATE, fresh, a -> a[1]).tag("namespace", namespace).tag("kind", kind)
          .tag("name", name).description("Current error rate judged for anomalies").register(registry);
      return fresh;
    });
    v[0] = anomalous ? 1 : 0;
    v[1] = rate == null ? 0 : rate;
  }

  /** A deleted resource reads 0 (not anomalous) from now on. */
  public void forget(String namespace, String kind, String name) {
    double[] v = values.get(List.of(namespace, kind, name));
    if (v != null) {
      v[0] = 0;
      v[1] = 0;
    }
  }
}
