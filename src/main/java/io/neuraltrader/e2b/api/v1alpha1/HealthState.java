package io.neuraltrader.e2b.api.v1alpha1;

/** Health of a sandbox from its execution record (error rate, latency, idleness). */
public enum HealthState {
  Healthy,
  Degraded,
  Unhealthy
}
