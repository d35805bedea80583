package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuraltrader.e2b.api.v1alpha1.HealthCounts;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deployment counts its agents' health from the Healthy reasons the agent controller writes. */
class DeploymentHealthCountsTest {
  private static final Instant NOW = Instant.parse("2026-03-02T14:00:00Z");

  private static TradingAgent agent(String status, String reason) {
    TradingAgent agent = new TradingAgent();
    if (status != null) {
      TradingAgentStatus s = new TradingAgentStatus();
      Conditions.set(s.getConditions(), "Healthy", status, reason, "m", 1L, NOW);
      agent.setStatus(s);
    }
    return agent;
  }

  @Test
  void aFailedTickIsUnhealthyAnyOtherFalseDegradedAndTrueOrUnknownHealthy() {
    HealthCounts h = DeploymentReconciler.health(List.of(
        agent(null, null),
        agent(Conditions.TRUE, "Ticking"),
        agent(Conditions.FALSE, Reasons.TICK_FAILED),
        agent(Conditions.FALSE, Reasons.SANDBOX_ERROR),
        agent(Conditions.FALSE, "DrawdownHalt"),
        agent(Conditions.FALSE, null)));
    assertEquals(2, h.getHealthy());
    assertEquals(2, h.getUnhealthy());
    assertEquals(2, h.getDegraded());
  }
}
