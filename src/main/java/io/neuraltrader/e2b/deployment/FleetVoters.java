package io.neuraltrader.e2b.deployment;

import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The agents whose latest tick speaks for the fleet (market figures, consensus votes): running (not suspended,
 * phase Running), healthy (no False Healthy condition: a failed tick, a guardrail or a drawdown halt does not
 * vote) and fresh (a successful tick within {@link #FRESH_INTERVALS} intervals). Pure.
 */
final class FleetVoters {
  /** A tick older than this many intervals is stale: the agent has missed at least two. */
  static final int FRESH_INTERVALS = 3;

  private FleetVoters() {}

  static List<TradingAgent> of(List<DeploymentChild> children, Duration interval, Instant now) {
    return children.stream().filter(DeploymentChild::active).map(DeploymentChild::agent)
        .filter(a -> votes(a, interval, now)).toList();
  }

  static boolean votes(TradingAgent agent, Duration interval, Instant now) {
    var status = agent.getStatus();
    if (status == null || status.getPhase() != AgentPhase.Running || Boolean.TRUE.equals(agent.getSpec().getSuspend())) {
      return false;
    }
    if (Conditions.find(status.getConditions(), "Healthy").map(c -> Conditions.FALSE.equals(c.getStatus()))
        .orElse(false)) {
      return false;
    }
    Instant last = Times.parse(status.getLastRunAt());
    return last != null && !last.isAfter(now) && Duration.between(last, now).compareTo(interval.multipliedBy(FRESH_INTERVALS)) <= 0;
  }
}
