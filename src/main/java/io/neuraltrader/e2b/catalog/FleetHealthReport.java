package io.neuraltrader.e2b.catalog;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeploymentStatus;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.HealthCounts;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.catalog.HealthReport.Alert;
import io.neuraltrader.e2b.catalog.HealthReport.Threshold;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.shared.CostModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fleet health of a namespace (monitor_e2b_health) from the status of its E2BSandboxes, TradingAgents and
 * E2BDeployments, with the platform's alert table evaluated ({@link #THRESHOLDS}): warning at 5% errors or a
 * 2 s p95 latency, critical at 10%, 5 s or 3 unhealthy sandboxes. Only the most severe rule per metric fires.
 *
 * <p>Latency samples, one per workload: each agent's last tick duration, and the average execution duration of
 * every sandbox no agent runs in (an agent's sandbox would count its ticks twice).
 */
public class FleetHealthReport {
  public static final String ERROR_RATE = "errorRate";
  public static final String P95_LATENCY = "p95LatencyMs";
  public static final String UNHEALTHY = "unhealthySandboxes";
  public static final String WARNING = "warning";
  public static final String CRITICAL = "critical";
  public static final String OK = "ok";
  /** Most severe first per metric: the first rule of a metric that fires is its alert. */
  public static final List<Threshold> THRESHOLDS = List.of(
      new Threshold(ERROR_RATE, CRITICAL, 0.10, "fraction"),
      new Threshold(ERROR_RATE, WARNING, 0.05, "fraction"),
      new Threshold(P95_LATENCY, CRITICAL, 5000, "ms"),
      new Threshold(P95_LATENCY, WARNING, 2000, "ms"),
      new Threshold(UNHEALTHY, CRITICAL, 3, "sandboxes"));
  static final Duration MONTH = Duration.ofDays(30);

  private final KubernetesClient client;
  private final Clock clock;
  private final CostModel prices;

  public FleetHealthReport(KubernetesClient client, Clock clock) {
    this(client, clock, CostModel.E2B_LIST_PRICES);
  }

  public FleetHealthReport(KubernetesClient client, Clock clock, CostModel prices) {
    this.client = client;
    this.clock = clock;
    this.prices = prices;
  }

  public HealthReport report(String namespace) {
    Names.namespace(namespace);
    Instant now = clock.instant();
    List<E2BSandbox> sandboxes = client.resources(E2BSandbox.class).inNamespace(namespace).list().getItems();
    List<TradingAgent> agents = client.resources(TradingAgent.class).inNamespace(namespace).list().getItems();
    List<E2BDeployment> deployments = client.resources(E2BDeployment.class).inNamespace(namespace).list().getItems();

    SandboxTally sb = new SandboxTally();
    sandboxes.forEach(s -> sb.add(s.getStatus() == null ? new E2BSandboxStatus() : s.getStatus(), now, prices));
    AgentTally ag = new AgentTally();
    agents.forEach(a -> ag.add(a.getStatus() == null ? new TradingAgentStatus() : a.getStatus()));
    List<Long> latencies = new ArrayList<>(ag.latencies);
    for (E2BSandbox s : sandboxes) {
      E2BSandboxStatus st = s.getStatus();
      if (st != null && st.getAverageExecutionMs() != null && nz(st.getExecutionCount()) > 0
          && !ag.sandboxes.contains(s.getMetadata().getName())) {
        latencies.add(st.getAverageExecutionMs());
      }
    }

    Double errorRate = sb.executions == 0 ? null : round((double) sb.errors / sb.executions, 4);
    Long p95 = percentile95(latencies);
    List<Alert> alerts = alerts(errorRate, p95, sb.unhealthy);
    String status = alerts.stream().anyMatch(a -> a.severity().equals(CRITICAL)) ? CRITICAL
        : alerts.isEmpty() ? OK : WARNING;
    return new HealthReport(namespace, Times.format(now), status,
        new HealthReport.SandboxTotals(sandboxes.size(), sb.healthy, sb.degraded, sb.unhealthy, sb.unknown,
            sb.phases),
        new HealthReport.AgentTotals(agents.size(), ag.failing, ag.phases, ag.runs, ag.failedRuns),
        deploymentTotals(deployments), sb.executions, sb.errors, errorRate, p95, latencies.size(),
        round(sb.perMinute, 3), round(sb.perHour, 4), round(sb.perHour * MONTH.toHours(), 2), round(sb.accrued, 4),
        THRESHOLDS, alerts);
  }

  /** Sums over sandbox status: health, phases, executions, rate, cost. */
  private static final class SandboxTally {
    int healthy;
    int degraded;
    int unhealthy;
    int unknown;
    final Map<String, Integer> phases = new TreeMap<>();
    long executions;
    long errors;
    double perMinute;
    double perHour;
    double accrued;

    void add(E2BSandboxStatus st, Instant now, CostModel prices) {
      if (st.getHealth() == null) {
        unknown++;
      } else {
        switch (st.getHealth()) {
          case Healthy -> healthy++;
          case Degraded -> degraded++;
          case Unhealthy -> unhealthy++;
        }
      }
      phases.merge(st.getPhase() == null ? "Unknown" : st.getPhase().name(), 1, Integer::sum);
      long count = nz(st.getExecutionCount());
      executions += count;
      errors += Math.min(count, nz(st.getExecutionErrors()));
      perMinute += rate(count, st.getFirstStartedAt() != null ? st.getFirstStartedAt() : st.getStartedAt(), now);
      if (st.getPhase() == SandboxPhase.Running) {
        perHour += prices.perHour(nz(st.getCpuCount()), nz(st.getMemoryMB()));
      }
      accrued += st.getEstimatedCostUSD() == null ? 0 : st.getEstimatedCostUSD();
    }
  }

  /** Sums over agent status, the latency samples agents give, and the sandboxes they run in. */
  private static final class AgentTally {
    final Map<String, Integer> phases = new TreeMap<>();
    int failing;
    long runs;
    long failedRuns;
    final List<Long> latencies = new ArrayList<>();
    final Set<String> sandboxes = new HashSet<>();

    void add(TradingAgentStatus st) {
      phases.merge(st.getPhase() == null ? "Unknown" : st.getPhase().name(), 1, Integer::sum);
      failing += nz(st.getConsecutiveFailures()) > 0 ? 1 : 0;
      runs += nz(st.getRuns());
      failedRuns += nz(st.getFailedRuns());
      if (st.getSandboxRef() != null) {
        sandboxes.add(st.getSandboxRef());
      }
      if (st.getLastRunDurationMs() != null) {
        latencies.add(st.getLastRunDurationMs());
      }
    }
  }

  private static HealthReport.DeploymentTotals deploymentTotals(List<E2BDeployment> deployments) {
    int[] sums = new int[5]; // replicas, ready, healthy, degraded, unhealthy
    for (E2BDeployment d : deployments) {
      E2BDeploymentStatus st = d.getStatus();
      if (st == null) {
        continue;
      }
      sums[0] += nz(st.getReplicas());
      sums[1] += nz(st.getReadyReplicas());
      HealthCounts h = st.getHealth();
      if (h != null) {
        sums[2] += nz(h.getHealthy());
        sums[3] += nz(h.getDegraded());
        sums[4] += nz(h.getUnhealthy());
      }
    }
    return new HealthReport.DeploymentTotals(deployments.size(), sums[0], sums[1], sums[2], sums[3], sums[4]);
  }

  /** The alerts the figures fire: per metric, the most severe rule whose threshold they reach. */
  static List<Alert> alerts(Double errorRate, Long p95LatencyMs, int unhealthySandboxes) {
    List<Alert> alerts = new ArrayList<>();
    Set<String> fired = new HashSet<>();
    for (Threshold t : THRESHOLDS) {
      Double value = switch (t.metric()) {
        case ERROR_RATE -> errorRate;
        case P95_LATENCY -> p95LatencyMs == null ? null : p95LatencyMs.doubleValue();
        case UNHEALTHY -> (double) unhealthySandboxes;
        default -> null;
      };
      if (value != null && value >= t.threshold() && fired.add(t.metric())) {
        alerts.add(new Alert(t.severity(), t.metric(), value, t.threshold(), message(t, value)));
      }
    }
    return alerts;
  }

  private static String message(Threshold t, double value) {
    return switch (t.metric()) {
      case ERROR_RATE -> String.format("error rate %.1f%% reached the %s threshold of %.0f%%", value * 100,
          t.severity(), t.threshold() * 100);
      case P95_LATENCY -> String.format("p95 latency %.0f ms reached the %s threshold of %.0f ms", value,
          t.severity(), t.threshold());
      default -> String.format("%.0f unhealthy sandboxes reached the %s threshold of %.0f", value, t.severity(),
          t.threshold());
    };
  }

  /** Nearest-rank 95th percentile; null without samples. */
  static Long percentile95(List<Long> samples) {
    if (samples.isEmpty()) {
      return null;
    }
    List<Long> sorted = samples.stream().sorted().toList();
    int rank = (int) Math.ceil(0.95 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** Executions per minute since {@code since}; 0 when unknown or not yet a positive span. */
  private static double rate(long count, String since, Instant now) {
    if (count == 0 || since == null) {
      return 0;
    }
    Instant start;
    try {
      start = Times.parse(since);
    } catch (RuntimeException e) {
      return 0;
    }
    long ms = Duration.between(start, now).toMillis();
    return ms <= 0 ? 0 : count * 60_000.0 / ms;
  }

  private static long nz(Long v) {
    return v == null ? 0 : v;
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
