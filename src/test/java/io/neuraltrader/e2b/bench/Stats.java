package io.neuraltrader.e2b.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles over samples in milliseconds. */
final class Stats {
  private final List<Double> sorted;

  Stats(Collection<Double> samplesMs) {
    List<Double> s = new ArrayList<>(samplesMs);
    Collections.sort(s);
    this.sorted = s;
  }

  static Stats ofNanos(Collection<Long> nanos) {
    return new Stats(nanos.stream().map(n -> n / 1e6).toList());
  }

  List<Double> sortedCopy() {
    return new ArrayList<>(sorted);
  }

  int count() {
    return sorted.size();
  }

  double percentile(double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  double p50() {
    return percentile(50);
  }

  double p90() {
    return percentile(90);
  }

  double p95() {
    return percentile(95);
  }

  double p99() {
    return percentile(99);
  }

  double max() {
    return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
  }

  double min() {
    return sorted.isEmpty() ? Double.NaN : sorted.get(0);
  }

  double mean() {
    return sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** count, min, p50, p95, p99, max, mean (ms, rounded to 0.1). */
  Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count());
    m.put("min_ms", Report.round(min(), 1));
    m.put("p50_ms", Report.round(p50(), 1));
    m.put("p90_ms", Report.round(p90(), 1));
    m.put("p95_ms", Report.round(p95(), 1));
    m.put("p99_ms", Report.round(p99(), 1));
    m.put("max_ms", Report.round(max(), 1));
    m.put("mean_ms", Report.round(mean(), 1));
    return m;
  }
}
