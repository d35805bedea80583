package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.SandboxActivity;
import io.neuraltrader.e2b.shared.CostModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.HealthState;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxResources;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.SandboxState;
import io.neuraltrader.e2b.reconcile.Conditions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox status built from what is known: pure, and conditions transition only when their status does. */
class SandboxStatusBuilderTest {
  private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
  private static final CostModel COST = CostModel.E2B_LIST_PRICES;
  private static final SandboxStatusBuilder.Facts NOTHING = new SandboxStatusBuilder.Facts(null, null, null);

  private static E2BSandboxStatus status(SandboxPhase phase) {
    E2BSandboxStatus s = new E2BSandboxStatus();
    s.setSandboxID("sb1");
    s.setPhase(phase);
    s.setStartedAt(T0.toString());
    return s;
  }

  private static E2BSandboxStatus build(E2BSandboxSpec spec, E2BSandboxStatus s, SandboxStatusBuilder.Facts facts,
      Instant now) {
    return SandboxStatusBuilder.build(spec, 3L, s, facts, COST, now).status();
  }

  private static Condition condition(E2BSandboxStatus s, String type) {
    return Conditions.find(s.getConditions(), type).orElseThrow();
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheConditionStatusChanges() {
    E2BSandboxSpec spec = new E2BSandboxSpec();
    E2BSandboxStatus running = build(spec, status(SandboxPhase.Running), NOTHING, T0);
    assertEquals("True", condition(running, "Ready").getStatus());
    assertEquals(T0.toString(), condition(running, "Ready").getLastTransitionTime());

    E2BSandboxStatus later = build(spec, running, NOTHING, T0.plusSeconds(60));
    assertEquals(T0.toString(), condition(later, "Ready").getLastTransitionTime());
    assertEquals(T0.toString(), condition(later, "Degraded").getLastTransitionTime());

    later.setPhase(SandboxPhase.Paused);
    later.setPauseReason(SandboxPlanner.PAUSE_IDLE);
    E2BSandboxStatus paused = build(spec, later, NOTHING, T0.plusSeconds(120));
    assertEquals("False", condition(paused, "Ready").getStatus());
    assertEquals("Paused", condition(paused, "Ready").getReason());
    assertEquals(T0.plusSeconds(120).toString(), condition(paused, "Ready").getLastTransitionTime());
    assertEquals(T0.toString(), condition(paused, "Degraded").getLastTransitionTime());
  }

  @Test
  void theInputStatusIsLeftAlone() {
    E2BSandboxStatus input = status(SandboxPhase.Running);
    input.setCostAccruedAt(T0.toString());
    E2BSandboxStatus built = build(new E2BSandboxSpec(), input, NOTHING, T0.plusSeconds(3600));
    assertNotSame(input, built);
    assertTrue(input.getConditions().isEmpty());
    assertNull(input.getEstimatedCostUSD());
    assertNull(input.getObservedGeneration());
    assertEquals(3L, built.getObservedGeneration());
  }

  @Test
  void costAccruesOnlyWhileRunning() {
    E2BSandboxStatus running = status(SandboxPhase.Running);
    running.setCostAccruedAt(T0.toString());
    running.setCpuCount(2);
    running.setMemoryMB(1024);
    SandboxStatusBuilder.Built hour = SandboxStatusBuilder.accrue(running, COST, T0.plusSeconds(3600));
    assertEquals(COST.perHour(2, 1024), hour.accruedUSD(), 1e-9);
    assertEquals(T0.plusSeconds(3600).toString(), hour.status().getCostAccruedAt());

    E2BSandboxStatus paused = hour.status();
    paused.setPhase(SandboxPhase.Paused);
    SandboxStatusBuilder.Built idle = SandboxStatusBuilder.accrue(paused, COST, T0.plusSeconds(7200));
    assertEquals(0, idle.accruedUSD());
    assertEquals(hour.status().getEstimatedCostUSD(), idle.status().getEstimatedCostUSD());
  }

  @Test
  void theListingSizesTheSandboxAndAShortfallIsDegraded() {
    E2BSandboxSpec spec = new E2BSandboxSpec();
    SandboxResources wanted = new SandboxResources();
    wanted.setCpuCount(4);
    spec.setResources(wanted);
    ListedSandbox listed = new ListedSandbox("base", null, "sb1", null, T0, T0.plusSeconds(900), 2, 512, 1024,
        Map.of(), SandboxState.RUNNING, "0.2.0");
    E2BSandboxStatus s = status(SandboxPhase.Running);
    s.setExpiresAt(T0.plusSeconds(300).toString());
    E2BSandboxStatus built = build(spec, s, new SandboxStatusBuilder.Facts(listed, null, null), T0);
    assertEquals(2, built.getCpuCount());
    assertEquals(T0.plusSeconds(900).toString(), built.getExpiresAt());
    assertEquals("True", condition(built, "Degraded").getStatus());
    assertEquals("InsufficientResources", condition(built, "Degraded").getReason());
  }

  @Test
  void failedExecutionsMakeALiveSandboxUnhealthy() {
    var stats = new SandboxActivity.Stats(10, 3, 1000, T0);
    E2BSandboxStatus built = build(new E2BSandboxSpec(), status(SandboxPhase.Running),
        new SandboxStatusBuilder.Facts(null, null, stats), T0.plusSeconds(5));
    assertEquals(HealthState.Unhealthy, built.getHealth());
    assertEquals(10L, built.getExecutionCount());
    assertEquals("Unhealthy", condition(built, "Degraded").getReason());

    E2BSandboxStatus pending = build(new E2BSandboxSpec(), status(SandboxPhase.Pending),
        new SandboxStatusBuilder.Facts(null, null, stats), T0.plusSeconds(5));
    assertNull(pending.getHealth());
    assertEquals("False", condition(pending, "Degraded").getStatus());
  }

  @Test
  void anErrorBurstOverTheBaselineMakesTheSandboxAnomalous() {
    E2BSandboxSpec spec = new E2BSandboxSpec();
    E2BSandboxStatus s = status(SandboxPhase.Running);
    Instant now = T0;
    long executions = 0;
    long errors = 0;
    // An hour of 20 executions per 5-minute window, one failing: a 5% baseline.
    for (int window = 0; window < 12; window++) {
      executions += 20;
      errors += 1;
      now = now.plusSeconds(300);
      s = build(spec, s, new SandboxStatusBuilder.Facts(null, null,
          new SandboxActivity.Stats(executions, errors, executions * 10, now)), now);
    }
    assertEquals("WithinBaseline", condition(s, "Anomalous").getReason());
    assertEquals(0.05, s.getErrorRate().getBaseline(), 1e-6);
    // 10 executions, 6 failing: 60%, over 3 x 5%.
    now = now.plusSeconds(30);
    s = build(spec, s, new SandboxStatusBuilder.Facts(null, null,
        new SandboxActivity.Stats(executions + 10, errors + 6, executions * 10, now)), now);
    assertEquals("True", condition(s, "Anomalous").getStatus());
    assertEquals("ErrorRateSpike", condition(s, "Anomalous").getReason());
    assertTrue(condition(s, "Anomalous").getMessage().contains("error rate 0.6 over 10 executions"),
        condition(s, "Anomalous").getMessage());
  }
}
