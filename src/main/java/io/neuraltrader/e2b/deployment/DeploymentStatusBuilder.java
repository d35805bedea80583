package io.neuraltrader.e2b.deployment;

import io.neuraltrader.e2b.api.v1alpha1.AggregatePerformance;
import io.neuraltrader.e2b.api.v1alpha1.ConsensusDecision;
import io.neuraltrader.e2b.api.v1alpha1.MarketConditionsStatus;
import io.neuraltrader.e2b.api.v1alpha1.MarketMetric;
import io.neuraltrader.e2b.api.v1alpha1.MarketRuleStatus;
import io.neuraltrader.e2b.shared.ErrorRateBaseline;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeploymentStatus;
import io.neuraltrader.e2b.api.v1alpha1.HealthCounts;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.schedule.MarketCalendar;
import io.neuraltrader.e2b.schedule.ScheduleDecision;
import io.neuraltrader.e2b.schedule.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A deployment's status from its children and plan: counts, health, cost, performance, conditions. Pure. */
final class DeploymentStatusBuilder {
  static final Duration MONTH = Duration.ofDays(30);

  private DeploymentStatusBuilder() {}

  /**
   * What the cost figures need: the hourly price of one agent, the schedule windows and calendar they follow,
   * the pre-warm lead, spec.replicas and scaling.maxReplicas.
   */
  record CostInputs(double perReplicaHour, List<Window> windows, MarketCalendar calendar, Duration preWarm,
      int specReplicas, int maxReplicas) {}

  static void counts(E2BDeploymentStatus status, List<DeploymentChild> children, int desired,
      Map<String, String> selector, ScheduleDecision schedule, boolean scheduled) {
    List<DeploymentChild> active = children.stream().filter(DeploymentChild::active).toList();
    status.setReplicas(active.size());
    status.setReadyReplicas((int) active.stream().filter(DeploymentChild::ready).count());
    status.setUpdatedReplicas((int) active.stream().filter(DeploymentChild::updated).count());
    status.setDesiredReplicas(desired);
    status.setSelector(selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(",")));
    status.setActiveSchedule(schedule.activeWindow().orElse(null));
    status.setNextTransitionAt(scheduled ? Times.format(schedule.nextTransition()) : null);
  }

  /**
   * Agents by their Healthy condition: none or True is healthy; a failed tick (the agent's own reasons, see
   * {@link Reasons#AGENT_UNHEALTHY}) unhealthy; any other False (a guardrail, a drawdown halt) degraded.
   */
  static HealthCounts health(List<TradingAgent> agents) {
    HealthCounts health = new HealthCounts();
    for (TradingAgent agent : agents) {
      var conditions = agent.getStatus() == null ? null : agent.getStatus().getConditions();
      var healthy = conditions == null ? null : Conditions.find(conditions, "Healthy").orElse(null);
      if (healthy == null || Conditions.TRUE.equals(healthy.getStatus())) {
        health.setHealthy(health.getHealthy() + 1);
      } else if (healthy.getReason() != null && Reasons.AGENT_UNHEALTHY.contains(healthy.getReason())) {
        health.setUnhealthy(health.getUnhealthy() + 1);
      } else {
        health.setDegraded(health.getDegraded() + 1);
      }
    }
    return health;
  }

  /** The hourly cost of the running agents, and the month ahead as scheduled and as if always at peak. */
  static void cost(E2BDeploymentStatus status, int running, CostInputs in, Instant now) {
    status.setEstimatedCostPerHourUSD(round(running * in.perReplicaHour(), 4));
    double projected = CostProjection.replicaHours(in.windows(), in.calendar(), in.preWarm(),
        Math.min(in.specReplicas(), in.maxReplicas()), now, now.plus(MONTH)) * in.perReplicaHour();
    int peak = Math.min(CostProjection.peak(in.windows(), in.specReplicas()), in.maxReplicas());
    status.setProjectedMonthlyCostUSD(round(projected, 2));
    status.setStaticMonthlyCostUSD(round(peak * in.perReplicaHour() * MONTH.toHours(), 2));
  }

  /** Sums and averages over the agents that report performance (suspended ones included). */
  static AggregatePerformance performance(List<TradingAgent> agents) {
    double equity = 0;
    double pnl = 0;
    double returns = 0;
    double sharpe = 0;
    int trades = 0;
    int withPerf = 0;
    for (TradingAgent agent : agents) {
      var s = agent.getStatus();
      if (s == null || s.getPerformance() == null) {
        continue;
      }
      withPerf++;
      equity += s.getEquity() == null ? 0 : s.getEquity();
      pnl += s.getPnl() == null ? 0 : s.getPnl();
      returns += s.getPerformance().getTotalReturn() == null ? 0 : s.getPerformance().getTotalReturn();
      sharpe += s.getPerformance().getSharpe() == null ? 0 : s.getPerformance().getSharpe();
      trades += s.getPerformance().getTrades() == null ? 0 : s.getPerformance().getTrades();
    }
    AggregatePerformance perf = new AggregatePerformance();
    perf.setTotalEquity(round(equity, 2));
    perf.setTotalPnl(round(pnl, 2));
    perf.setAverageReturn(withPerf == 0 ? 0 : round(returns / withPerf, 6));
    perf.setAverageSharpe(withPerf == 0 ? 0 : round(sharpe / withPerf, 4));
    perf.setTrades(trades);
    return perf;
  }

  /** Available, Progressing, Ready and ScalingLimited from the counts already in {@code status}. */
  static void conditions(E2BDeploymentStatus status, ReplicaPlanner.Plan plan, String name, Long generation,
      Instant now) {
    int ready = status.getReadyReplicas();
    int target = plan.target();
    boolean available = ready >= Math.min(target, plan.desired());
    Conditions.set(status.getConditions(), "Available", available, available ? "MinimumReplicasAvailable"
        : "ReplicasNotReady", ready + "/" + target + " agents ready", generation, now);
    boolean progressing = status.getReplicas() != plan.desired() || status.getUpdatedReplicas() < status.getReplicas()
        || ready < status.getReplicas();
    Conditions.set(status.getConditions(), "Progressing", progressing,
        progressing ? "Scaling" : "Complete",
        progressing ? "moving to " + plan.desired() + " agents (" + status.getUpdatedReplicas() + " updated, "
            + ready + " ready)" : "all " + plan.desired() + " agents updated and ready", generation, now);
    DeploymentReadiness.Verdict readiness = DeploymentReadiness.of(status.getReplicas(), ready,
        status.getUpdatedReplicas(), plan.desired(), plan.limitReason());
    Conditions.set(status.getConditions(), "Ready", readiness.ready(), readiness.reason(), readiness.message(),
        generation, now);
    if (plan.limited() != null) {
      Conditions.set(status.getConditions(), "ScalingLimited", true, plan.limitReason(), limitMessage(plan, name),
          generation, now);
    } else {
      Conditions.set(status.getConditions(), "ScalingLimited", false, "AsExpected", "", generation, now);
    }
  }

  /** The market figures and the rules' states; absent without rules. */
  static void market(E2BDeploymentStatus status, MarketConditionsPlanner.Evaluation evaluation,
      MarketConditionsPlanner.Figures figures, boolean hasRules) {
    if (!hasRules) {
      status.setMarketConditions(null);
      return;
    }
    MarketConditionsStatus out = new MarketConditionsStatus();
    out.setAgents(figures.agents());
    out.setVolatility(figures.get(MarketMetric.volatility));
    out.setVolume(figures.get(MarketMetric.volume));
    out.setSpread(figures.get(MarketMetric.spread));
    out.setReplicas(evaluation.delta());
    List<MarketRuleStatus> rules = new java.util.ArrayList<>();
    for (MarketConditionsPlanner.Evaluated e : evaluation.rules()) {
      MarketRuleStatus r = new MarketRuleStatus();
      r.setName(e.rule().name());
      r.setActive(e.state().active());
      r.setReplicas(e.rule().replicas());
      r.setValue(e.value());
      r.setSince(Times.format(e.state().since()));
      r.setLastMetAt(Times.format(e.state().lastMetAt()));
      rules.add(r);
    }
    out.setRules(rules);
    status.setMarketConditions(out);
  }

  /** The consensus decisions and their count; null decisions (no consensus spec) clear both. */
  static void consensus(E2BDeploymentStatus status, List<ConsensusDecision> decisions) {
    status.setConsensus(decisions == null || decisions.isEmpty() ? null : decisions);
    status.setSymbolsInConsensus(decisions == null ? null : decisions.size());
  }

  /** The error-rate state and the Anomalous condition. */
  static void anomaly(E2BDeploymentStatus status, ErrorRateBaseline.Verdict verdict,
      ErrorRateBaseline.Settings settings, Long generation, Instant now) {
    status.setErrorRate(ErrorRateBaseline.toStatus(verdict));
    Conditions.set(status.getConditions(), "Anomalous", verdict.anomalous(), verdict.reason(),
        verdict.describe(settings), generation, now);
  }

  /** The plan's limit message for deployment {@code name}, or null. */
  static String limitMessage(ReplicaPlanner.Plan plan, String name) {
    return plan.limited() == null ? null : plan.limited().replace("<name>", name);
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
