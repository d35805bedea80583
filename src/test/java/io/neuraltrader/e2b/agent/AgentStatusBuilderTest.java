package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Condition;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.Performance;
import io.neuraltrader.e2b.api.v1alpha1.Portfolio;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentStatusBuilderTest {
  private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static TickResult result(double equity, boolean halted) {
    Portfolio portfolio = new Portfolio();
    portfolio.setEquity(equity);
    return new TickResult(4, List.of(), 0, portfolio, new Performance(), halted, halted ? "drawdown 30%" : null,
        null);
  }

  private static Condition condition(TradingAgentStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow();
  }

  @Test
  void aTickRecordsTheResultAndTheNextRun() {
    TradingAgentStatus status = new TradingAgentStatus();
    status.setConsecutiveFailures(2);
    AgentStatusBuilder.ticked(status, 3L, 100_000, result(100_123.456, false), 5, 42, T0.plus(MINUTE), T0);
    assertEquals(AgentPhase.Running, status.getPhase());
    assertEquals(5, status.getRuns());
    assertEquals(0, status.getConsecutiveFailures());
    assertEquals(Times.format(T0), status.getLastRunAt());
    assertEquals(Times.format(T0.plus(MINUTE)), status.getNextRunAt());
    assertEquals(42, status.getLastRunDurationMs());
    assertEquals(123.46, status.getPnl(), "P&L rounded to cents");
    assertNull(status.getLastError());
    assertEquals("Tick 5 done at " + Times.format(T0), condition(status, AgentStatusBuilder.READY).getMessage());
    assertEquals("TicksSucceeding", condition(status, AgentStatusBuilder.HEALTHY).getReason());
    assertEquals(3L, condition(status, AgentStatusBuilder.READY).getObservedGeneration());

    AgentStatusBuilder.ticked(status, 3L, 100_000, result(70_000, true), 6, 40, T0.plus(MINUTE.multipliedBy(2)),
        T0.plus(MINUTE));
    assertEquals("Halted: drawdown 30%", status.getLastError());
    assertEquals("DrawdownHalt", condition(status, AgentStatusBuilder.HEALTHY).getReason());
  }

  @Test
  void failuresCountUpAndBackOff() {
    TradingAgentStatus status = new TradingAgentStatus();
    TickFailure failure = new TickFailure(Reasons.TICK_FAILED, "ValueError: bad", false, null, false);
    Instant first = AgentStatusBuilder.failed(status, 1L, failure, MINUTE, T0);
    assertEquals(T0.plus(MINUTE.multipliedBy(2)), first, "the strategy backoff doubles the interval");
    Instant second = AgentStatusBuilder.failed(status, 1L, failure, MINUTE, T0);
    assertEquals(T0.plus(MINUTE.multipliedBy(4)), second);
    assertEquals(2, status.getConsecutiveFailures());
    assertEquals(2, status.getFailedRuns());
    assertEquals("TickFailed: ValueError: bad", status.getLastError());
    assertEquals(Times.format(second), status.getNextRunAt());
    assertEquals("ValueError: bad (2 in a row; next try " + Times.format(second) + ")",
        condition(status, AgentStatusBuilder.HEALTHY).getMessage());
  }

  @Test
  void suspendingClearsTheNextRunAndNamesWhy() {
    TradingAgentStatus status = new TradingAgentStatus();
    status.setNextRunAt(Times.format(T0));
    AgentStatusBuilder.suspended(status, 1L, false, T0);
    assertEquals(AgentPhase.Suspended, status.getPhase());
    assertNull(status.getNextRunAt());
    assertEquals("Suspended", condition(status, AgentStatusBuilder.READY).getReason());
    AgentStatusBuilder.tripped(status, 1L, "win rate 0.10 below 0.4", T0);
    assertEquals(Conditions.TRUE, condition(status, AgentStatusBuilder.GUARDRAIL).getStatus());
    assertEquals(AgentStatusBuilder.GUARDRAIL, condition(status, AgentStatusBuilder.READY).getReason());
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenStatusOrReasonChanges() {
    TradingAgentStatus status = new TradingAgentStatus();
    AgentStatusBuilder.waitingForSandbox(status, 1L, new AgentStatusBuilder.Waiting("NoWarmSandbox", "none yet"), T0);
    AgentStatusBuilder.waitingForSandbox(status, 1L, new AgentStatusBuilder.Waiting("NoWarmSandbox", "still none"),
        T0.plusSeconds(2));
    assertEquals(Times.format(T0), condition(status, AgentStatusBuilder.SANDBOX_READY).getLastTransitionTime(),
        "same status, same reason: only the message changed");
    AgentStatusBuilder.waitingForSandbox(status, 1L, new AgentStatusBuilder.Waiting("PoolNotFound", "gone"),
        T0.plusSeconds(4));
    assertEquals(Times.format(T0.plusSeconds(4)),
        condition(status, AgentStatusBuilder.SANDBOX_READY).getLastTransitionTime(), "a new reason is a transition");
    AgentStatusBuilder.sandboxReady(status, 1L, "pool-a-1", "sbx-1", T0.plusSeconds(6));
    Condition ready = condition(status, AgentStatusBuilder.SANDBOX_READY);
    assertEquals(Times.format(T0.plusSeconds(6)), ready.getLastTransitionTime());
    assertEquals("Sandbox pool-a-1 (sbx-1)", ready.getMessage());
    assertEquals("pool-a-1", status.getSandboxRef());
    assertEquals("sbx-1", status.getSandboxID());
  }

  @Test
  void anInvalidSpecFailsTheAgent() {
    TradingAgentStatus status = new TradingAgentStatus();
    AgentStatusBuilder.invalid(status, 2L, "interval: must be positive", T0);
    assertEquals(AgentPhase.Failed, status.getPhase());
    assertEquals("InvalidSpec: interval: must be positive", status.getLastError());
    assertEquals(Reasons.INVALID_SPEC, condition(status, AgentStatusBuilder.READY).getReason());
  }

  @Test
  void outsideMarketHoursTheNextRunIsTheOpen() {
    TradingAgentStatus status = new TradingAgentStatus();
    Instant open = T0.plus(Duration.ofHours(17));
    AgentStatusBuilder.outsideMarketHours(status, 1L, open, T0);
    assertEquals(AgentPhase.OutsideMarketHours, status.getPhase());
    assertEquals(Times.format(open), status.getNextRunAt());
    assertEquals(Conditions.TRUE, condition(status, AgentStatusBuilder.READY).getStatus());
  }
}
