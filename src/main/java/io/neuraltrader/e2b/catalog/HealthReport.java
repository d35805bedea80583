package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The health of a namespace's fleet at {@code generatedAt}, from the resources' status.
 *
 * @param status {@code ok}, {@code warning} or {@code critical}: the most severe alert that fires
 * @param errorRate failed executions / all executions over the namespace's sandboxes (null: none ran)
 * @param p95LatencyMs 95th percentile (nearest rank) of the workloads' execution durations (null: none known)
 * @param throughputPerMinute executions per minute, each sandbox's execution count over its time since it
 *     first started
 * @param costPerHourUSD what the running sandboxes cost per hour now (E2B list prices; paused ones cost nothing)
 * @param projectedMonthlyCostUSD that rate over a 30-day month
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthReport(String namespace, String generatedAt, String status, SandboxTotals sandboxes,
    AgentTotals agents, DeploymentTotals deployments, long executions, long executionErrors, Double errorRate,
    Long p95LatencyMs, int latencySamples, double throughputPerMinute, double costPerHourUSD,
    double projectedMonthlyCostUSD, double accruedCostUSD, List<Threshold> thresholds, List<Alert> alerts) {

  /** Sandboxes by health (unknown: no health in status yet) and by phase. */
  public record SandboxTotals(int total, int healthy, int degraded, int unhealthy, int unknown,
      Map<String, Integer> byPhase) {}

  /** Agents by phase; failing: the last tick failed (consecutiveFailures above 0). */
  public record AgentTotals(int total, int failing, Map<String, Integer> byPhase, long runs, long failedRuns) {}

  /** Deployments with their agents' health as their status counts it. */
  public record DeploymentTotals(int total, int replicas, int readyReplicas, int healthy, int degraded,
      int unhealthy) {}

  /** One rule of the alert table: {@code metric} at or above {@code threshold} fires at {@code severity}. */
  public record Threshold(String metric, String severity, double threshold, String unit) {}

  /** A rule that fired, with the figure that fired it. */
  public record Alert(String severity, String metric, double value, double threshold, String message) {}
}
