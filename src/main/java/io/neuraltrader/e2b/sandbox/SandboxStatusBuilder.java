package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.SandboxActivity;
import io.neuraltrader.e2b.shared.CostModel;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.HealthState;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxUsage;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.SandboxMetric;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.shared.ErrorRateBaseline;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Duration;
import java.time.Instant;

/**
 * The status an E2BSandbox reports from what is known now: size and end time from the listing, usage from the
 * metrics, estimated cost, the execution record, health, and the Ready and Degraded conditions (their
 * lastTransitionTime moves only when their status does, see {@link Conditions}). Pure: returns a new status
 * and leaves its input alone; the clock is an argument.
 */
final class SandboxStatusBuilder {
  private SandboxStatusBuilder() {}

  /**
   * What is known about the status's sandbox.
   *
   * @param listed the sandbox the last listing showed for the resource (used only if it is the status's one)
   * @param metric the status's sandbox's last metrics sample, or null
   * @param stats the status's sandbox's execution record, or null
   */
  record Facts(ListedSandbox listed, SandboxMetric metric, SandboxActivity.Stats stats) {}

  /** A new status and the cost it accrued since the status's last accrual (for the metrics). */
  record Built(E2BSandboxStatus status, double accruedUSD) {}

  /** The status with the cost since its last accrual added at the phase it ran in. */
  static Built accrue(E2BSandboxStatus status, CostModel cost, Instant now) {
    E2BSandboxStatus next = StatusWriter.copy(status);
    return new Built(next, accrueInPlace(next, cost, now));
  }

  static Built build(E2BSandboxSpec spec, Long generation, E2BSandboxStatus current, Facts facts, CostModel cost,
      Instant now) {
    E2BSandboxStatus status = StatusWriter.copy(current);
    status.setObservedGeneration(generation);
    sizeAndEnd(status, facts.listed());
    if (facts.metric() != null) {
      status.setUsage(usage(facts.metric()));
    }
    double accrued = accrueInPlace(status, cost, now);
    executionRecord(status, facts.stats());
    anomaly(status, generation, now);
    status.setHealth(health(status, facts.stats(), now));
    ready(status, generation, now);
    degraded(spec, status, generation, now);
    return new Built(status, accrued);
  }

  private static void sizeAndEnd(E2BSandboxStatus status, ListedSandbox listed) {
    String id = status.getSandboxID();
    if (listed == null || id == null || !id.equals(listed.sandboxID())) {
      return;
    }
    status.setCpuCount(listed.cpuCount());
    status.setMemoryMB(listed.memoryMB());
    if (listed.endAt() != null && status.getPhase() == SandboxPhase.Running) {
      Instant recorded = Times.parse(status.getExpiresAt());
      if (recorded == null || listed.endAt().isAfter(recorded)) {
        status.setExpiresAt(Times.format(listed.endAt()));
      }
    }
  }

  private static SandboxUsage usage(SandboxMetric metric) {
    SandboxUsage usage = new SandboxUsage();
    usage.setCpuPct(Math.round(metric.cpuUsedPct() * 10) / 10.0);
    usage.setMemoryUsedMB(metric.memUsed() / (1024 * 1024));
    usage.setMemoryTotalMB(metric.memTotal() / (1024 * 1024));
    usage.setDiskUsedMB(metric.diskUsed() / (1024 * 1024));
    usage.setSampledAt(Times.format(metric.sampledAt()));
    return usage;
  }

  private static double accrueInPlace(E2BSandboxStatus status, CostModel model, Instant now) {
    Instant since = Times.parse(status.getCostAccruedAt());
    if (since == null) {
      return 0;
    }
    double cost = 0;
    if (status.getPhase() == SandboxPhase.Running && now.isAfter(since)) {
      cost = model.cost(status.getCpuCount() == null ? 0 : status.getCpuCount(),
          status.getMemoryMB() == null ? 0 : status.getMemoryMB(), Duration.between(since, now));
      double total = (status.getEstimatedCostUSD() == null ? 0 : status.getEstimatedCostUSD()) + cost;
      status.setEstimatedCostUSD(Math.round(total * 1_000_000) / 1_000_000.0);
    }
    status.setCostAccruedAt(Times.format(now));
    return cost;
  }

  private static void executionRecord(E2BSandboxStatus status, SandboxActivity.Stats stats) {
    if (stats != null) {
      status.setExecutionCount(stats.executions());
      status.setExecutionErrors(stats.errors());
      status.setAverageExecutionMs(stats.averageMs());
      status.setLastActivityAt(Times.format(stats.lastActivity()));
    }
  }

  /** The error-rate verdict over the execution record ({@link ErrorRateBaseline}, default settings). */
  private static void anomaly(E2BSandboxStatus status, Long generation, Instant now) {
    if (status.getExecutionCount() == null) {
      return;
    }
    ErrorRateBaseline.Verdict verdict = ErrorRateBaseline.observe(ErrorRateBaseline.fromStatus(status.getErrorRate()),
        nz(status.getExecutionCount()), nz(status.getExecutionErrors()), now, ErrorRateBaseline.Settings.DEFAULT);
    status.setErrorRate(ErrorRateBaseline.toStatus(verdict));
    Conditions.set(status.getConditions(), SandboxReconciler.ANOMALOUS, verdict.anomalous(), verdict.reason(),
        verdict.describe(ErrorRateBaseline.Settings.DEFAULT), generation, now);
  }

  /** Health of a live (running or paused) sandbox; null otherwise. A paused sandbox is never idle. */
  private static HealthState health(E2BSandboxStatus status, SandboxActivity.Stats stats, Instant now) {
    boolean live = status.getPhase() == SandboxPhase.Running || status.getPhase() == SandboxPhase.Paused;
    if (!live) {
      return null;
    }
    Instant since = stats != null && stats.lastActivity() != null ? stats.lastActivity()
        : Times.parse(status.getStartedAt());
    Duration idle = since == null || status.getPhase() == SandboxPhase.Paused ? null : Duration.between(since, now);
    return HealthRules.evaluate(stats == null ? 0 : stats.executions(), stats == null ? 0 : stats.errors(),
        stats == null ? 0 : stats.averageMs(), idle);
  }

  /** Ready follows a running or paused phase; other phases keep the condition their step set. */
  private static void ready(E2BSandboxStatus status, Long generation, Instant now) {
    if (status.getPhase() == SandboxPhase.Running) {
      Conditions.set(status.getConditions(), SandboxReconciler.READY, true, "Running",
          "Sandbox " + status.getSandboxID() + " is running", generation, now);
      status.setLastError(null);
    } else if (status.getPhase() == SandboxPhase.Paused) {
      Conditions.set(status.getConditions(), SandboxReconciler.READY, false, "Paused",
          SandboxPlanner.PAUSE_IDLE.equals(status.getPauseReason())
              ? "Paused after idleTimeout; resumes when work arrives"
              : "Paused as requested by spec.paused", generation, now);
    }
  }

  private static void degraded(E2BSandboxSpec spec, E2BSandboxStatus status, Long generation, Instant now) {
    String shortfall = resourceShortfall(spec, status);
    if (shortfall != null) {
      Conditions.set(status.getConditions(), SandboxReconciler.DEGRADED, true, "InsufficientResources", shortfall,
          generation, now);
    } else if (status.getHealth() != null && status.getHealth() != HealthState.Healthy) {
      Conditions.set(status.getConditions(), SandboxReconciler.DEGRADED, true, status.getHealth().name(),
          healthMessage(status), generation, now);
    } else {
      Conditions.set(status.getConditions(), SandboxReconciler.DEGRADED, false, "AsExpected", "", generation, now);
    }
  }

  private static String healthMessage(E2BSandboxStatus s) {
    return "executions " + nz(s.getExecutionCount()) + ", errors " + nz(s.getExecutionErrors())
        + ", average " + nz(s.getAverageExecutionMs()) + " ms, last activity " + s.getLastActivityAt();
  }

  private static long nz(Long v) {
    return v == null ? 0 : v;
  }

  private static String resourceShortfall(E2BSandboxSpec spec, E2BSandboxStatus status) {
    var wanted = spec.getResources();
    if (wanted == null || status.getCpuCount() == null || status.getMemoryMB() == null) {
      return null;
    }
    if (wanted.getCpuCount() != null && status.getCpuCount() < wanted.getCpuCount()) {
      return "template gives " + status.getCpuCount() + " vCPU, spec.resources asks for at least "
          + wanted.getCpuCount();
    }
    if (wanted.getMemoryMB() != null && status.getMemoryMB() < wanted.getMemoryMB()) {
      return "template gives " + status.getMemoryMB() + " MB, spec.resources asks for at least "
          + wanted.getMemoryMB() + " MB";
    }
    return null;
  }
}
