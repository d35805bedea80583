package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.agent.AgentPlanner.Action;
import io.neuraltrader.e2b.agent.AgentPlanner.Decision;
import io.neuraltrader.e2b.agent.AgentPlanner.Facts;
import io.neuraltrader.e2b.agent.AgentPlanner.Plan;
import io.neuraltrader.e2b.agent.AgentPlanner.SandboxStep;
import io.neuraltrader.e2b.api.v1alpha1.GuardrailsSpec;
import io.neuraltrader.e2b.api.v1alpha1.Performance;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import java.util.List;
import io.neuraltrader.e2b.schedule.MarketCalendars;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentPlannerTest {
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static Facts facts(boolean suspended, boolean tripped, boolean open, boolean sandbox, Instant last,
      int failures) {
    return new Facts(suspended, tripped, open, open ? null : NOW.plus(Duration.ofHours(1)), sandbox, last, MINUTE,
        failures, failures > 0 ? AgentPlanner.nextRun(last, MINUTE, failures) : null, NOW);
  }

  @Test
  void suspendAndGuardrailWinOverEverything() {
    assertEquals(new Decision(Action.SUSPENDED, null), AgentPlanner.decide(facts(true, false, false, false, null, 3)));
    assertEquals(new Decision(Action.SUSPENDED, null), AgentPlanner.decide(facts(false, true, true, true, null, 0)));
  }

  @Test
  void closedMarketWaitsForTheNextOpen() {
    Decision d = AgentPlanner.decide(facts(false, false, false, true, null, 0));
    assertEquals(Action.OUTSIDE_MARKET_HOURS, d.action());
    assertEquals(NOW.plus(Duration.ofHours(1)), d.wakeAt());
  }

  @Test
  void noSandboxPollsForIt() {
    Decision d = AgentPlanner.decide(facts(false, false, true, false, null, 0));
    assertEquals(Action.WAIT_FOR_SANDBOX, d.action());
    assertEquals(NOW.plus(AgentPlanner.SANDBOX_POLL), d.wakeAt());
  }

  @Test
  void firstTickRunsAtOnceThenOncePerInterval() {
    assertEquals(Action.TICK, AgentPlanner.decide(facts(false, false, true, true, null, 0)).action());
    assertEquals(new Decision(Action.WAIT, NOW.plusSeconds(30)),
        AgentPlanner.decide(facts(false, false, true, true, NOW.minusSeconds(30), 0)));
    assertEquals(Action.TICK, AgentPlanner.decide(facts(false, false, true, true, NOW.minus(MINUTE), 0)).action(),
        "due exactly at last + interval");
    assertEquals(Action.TICK, AgentPlanner.decide(facts(false, false, true, true, NOW.minusSeconds(3600), 0))
        .action());
  }

  @Test
  void failuresDoubleTheWaitUpToTheCap() {
    Instant last = Instant.parse("2026-03-02T15:00:00Z");
    assertNull(AgentPlanner.nextRun(null, MINUTE, 5));
    assertEquals(last.plus(MINUTE), AgentPlanner.nextRun(last, MINUTE, 0));
    assertEquals(last.plus(Duration.ofMinutes(2)), AgentPlanner.nextRun(last, MINUTE, 1));
    assertEquals(last.plus(Duration.ofMinutes(4)), AgentPlanner.nextRun(last, MINUTE, 2));
    assertEquals(last.plus(Duration.ofMinutes(8)), AgentPlanner.nextRun(last, MINUTE, 3));
    assertEquals(last.plus(AgentPlanner.MAX_BACKOFF), AgentPlanner.nextRun(last, MINUTE, 4));
    assertEquals(last.plus(AgentPlanner.MAX_BACKOFF), AgentPlanner.nextRun(last, MINUTE, 1000));
    assertEquals(last.plus(Duration.ofHours(1)), AgentPlanner.nextRun(last, Duration.ofHours(1), 3),
        "an interval above the cap is never shortened");
    // After a failure the tick is not due before the doubled wait.
    Decision d = AgentPlanner.decide(facts(false, false, true, true, NOW.minus(Duration.ofSeconds(90)), 1));
    assertEquals(new Decision(Action.WAIT, NOW.plusSeconds(30)), d);
  }

  @Test
  void aFailureOfE2BIsRetriedOnTheShortBackoffCappedByTheInterval() {
    assertEquals(NOW.plusSeconds(5), AgentPlanner.retryAfterServiceFailure(NOW, MINUTE, 1, null));
    assertEquals(NOW.plusSeconds(10), AgentPlanner.retryAfterServiceFailure(NOW, MINUTE, 2, null));
    assertEquals(NOW.plusSeconds(40), AgentPlanner.retryAfterServiceFailure(NOW, MINUTE, 4, null));
    assertEquals(NOW.plus(MINUTE), AgentPlanner.retryAfterServiceFailure(NOW, MINUTE, 5, null));
    assertEquals(NOW.plus(MINUTE), AgentPlanner.retryAfterServiceFailure(NOW, MINUTE, 1000, null));
    assertEquals(NOW.plusSeconds(30), AgentPlanner.retryAfterServiceFailure(NOW, MINUTE, 1, Duration.ofSeconds(30)),
        "E2B's Retry-After is honoured");
    // The instant the failure asked for decides, not the strategy backoff recomputed from lastRunAt.
    Instant last = NOW.minusSeconds(3);
    Facts waiting = new Facts(false, false, true, null, true, last, MINUTE, 1, last.plusSeconds(5), NOW);
    assertEquals(new Decision(Action.WAIT, last.plusSeconds(5)), AgentPlanner.decide(waiting));
    Facts due = new Facts(false, false, true, null, true, last, MINUTE, 1, last.plusSeconds(5),
        NOW.plusSeconds(2));
    assertEquals(Action.TICK, AgentPlanner.decide(due).action());
  }

  @Test
  void marketHoursFollowTheNyseCalendar() {
    var nyse = MarketCalendars.byName("NYSE");
    // Monday 2026-03-02 09:00 New York (EST): before the 09:30 open.
    AgentPlanner.Market before = AgentPlanner.market(nyse, Instant.parse("2026-03-02T14:00:00Z"));
    assertFalse(before.open());
    assertEquals(Instant.parse("2026-03-02T14:30:00Z"), before.nextOpen());
    assertTrue(AgentPlanner.market(nyse, Instant.parse("2026-03-02T14:30:00Z")).open());
    assertTrue(AgentPlanner.market(nyse, Instant.parse("2026-03-02T20:59:59Z")).open());
    // 16:00 New York: closed until Tuesday's open.
    AgentPlanner.Market after = AgentPlanner.market(nyse, Instant.parse("2026-03-02T21:00:00Z"));
    assertFalse(after.open());
    assertEquals(Instant.parse("2026-03-03T14:30:00Z"), after.nextOpen());
    // Friday after the close: Monday's open; Saturday: closed.
    assertEquals(Instant.parse("2026-03-09T13:30:00Z"),
        AgentPlanner.market(nyse, Instant.parse("2026-03-07T12:00:00Z")).nextOpen(), "after the DST change");
    assertEquals(AgentPlanner.Market.ALWAYS_OPEN, AgentPlanner.market(null, NOW));
  }

  @Test
  void theNextTickFollowsThePersistedState() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    assertEquals(0, AgentPlanner.tickNumber(0, null));
    assertEquals(7, AgentPlanner.tickNumber(7, null), "no state (persistence off): keep counting");
    assertEquals(5, AgentPlanner.tickNumber(5, mapper.readTree("{\"tick\":4}")), "state of the last tick");
    assertEquals(6, AgentPlanner.tickNumber(5, mapper.readTree("{\"tick\":5}")),
        "the status write of tick 5 was lost: never run tick 5 again on top of its own result");
    assertEquals(5, AgentPlanner.tickNumber(5, mapper.readTree("{\"tick\":2}")));
    assertEquals(5, AgentPlanner.tickNumber(5, mapper.readTree("{}")));
  }

  private static TradingAgentSpec spec(boolean suspend) {
    TradingAgentSpec spec = new TradingAgentSpec();
    spec.setInterval("1m");
    spec.setSuspend(suspend);
    return spec;
  }

  private static TradingAgentStatus trippedAt(long generation) {
    TradingAgentStatus status = new TradingAgentStatus();
    Conditions.set(status.getConditions(), AgentStatusBuilder.GUARDRAIL, true, "MinWinRate", "low", generation, NOW);
    return status;
  }

  @Test
  void anInvalidSpecPlansNothingElse() {
    Plan plan = AgentPlanner.plan(spec(false), new TradingAgentStatus(), 1L, List.of("interval: bad"), null, NOW);
    assertTrue(plan.invalid());
    assertEquals(SandboxStep.NONE, plan.sandbox());
    assertNull(plan.decision());
  }

  @Test
  void theSandboxStepFollowsSuspendGuardrailAndMarket() {
    TradingAgentStatus fresh = new TradingAgentStatus();
    AgentPlanner.Market closed = new AgentPlanner.Market(false, NOW.plus(Duration.ofHours(2)));
    assertEquals(SandboxStep.ACQUIRE,
        AgentPlanner.plan(spec(false), fresh, 1L, List.of(), AgentPlanner.Market.ALWAYS_OPEN, NOW).sandbox());
    assertEquals(SandboxStep.RELEASE,
        AgentPlanner.plan(spec(true), fresh, 1L, List.of(), AgentPlanner.Market.ALWAYS_OPEN, NOW).sandbox());
    assertEquals(SandboxStep.RELEASE,
        AgentPlanner.plan(spec(false), trippedAt(1), 1L, List.of(), AgentPlanner.Market.ALWAYS_OPEN, NOW).sandbox(),
        "a guardrail tripped at this generation holds the agent suspended");
    Plan outside = AgentPlanner.plan(spec(false), fresh, 1L, List.of(), closed, NOW);
    assertEquals(SandboxStep.NONE, outside.sandbox(), "outside market hours the agent keeps what it holds");
    assertEquals(new Decision(Action.OUTSIDE_MARKET_HOURS, NOW.plus(Duration.ofHours(2))), outside.decision());
  }

  @Test
  void aSpecChangeReArmsATrippedGuardrail() {
    Plan same = AgentPlanner.plan(spec(false), trippedAt(1), 1L, List.of(), AgentPlanner.Market.ALWAYS_OPEN, NOW);
    assertTrue(same.guardrailTripped());
    assertFalse(same.rearmGuardrail());
    assertEquals(Action.SUSPENDED, same.decision().action());
    Plan changed = AgentPlanner.plan(spec(false), trippedAt(1), 2L, List.of(), AgentPlanner.Market.ALWAYS_OPEN, NOW);
    assertFalse(changed.guardrailTripped());
    assertTrue(changed.rearmGuardrail());
    assertEquals(SandboxStep.ACQUIRE, changed.sandbox());
    assertEquals(Action.TICK, changed.decision().action());
    TradingAgentStatus rearmed = trippedAt(1);
    AgentStatusBuilder.rearmed(rearmed, 2L, NOW);
    assertFalse(AgentPlanner.plan(spec(false), rearmed, 2L, List.of(), AgentPlanner.Market.ALWAYS_OPEN, NOW)
        .rearmGuardrail(), "re-armed once, not on every reconcile");
  }

  @Test
  void theScheduleComesFromTheStatus() {
    TradingAgentStatus status = new TradingAgentStatus();
    status.setLastRunAt(Times.format(NOW.minusSeconds(20)));
    Plan plan = AgentPlanner.plan(spec(false), status, 1L, List.of(), AgentPlanner.Market.ALWAYS_OPEN, NOW);
    assertEquals(new Decision(Action.WAIT, NOW.plusSeconds(40)), plan.decision());
    assertEquals(MINUTE, plan.interval());
  }

  @Test
  void withoutAReadySandboxNothingTicksOrWaitsForATick() {
    Decision tick = new Decision(Action.TICK, null);
    Decision wait = new Decision(Action.WAIT, NOW.plusSeconds(5));
    Decision poll = new Decision(Action.WAIT_FOR_SANDBOX, NOW.plus(AgentPlanner.SANDBOX_POLL));
    assertEquals(tick, AgentPlanner.withSandbox(tick, true, NOW));
    assertEquals(wait, AgentPlanner.withSandbox(wait, true, NOW));
    assertEquals(poll, AgentPlanner.withSandbox(tick, false, NOW));
    assertEquals(poll, AgentPlanner.withSandbox(wait, false, NOW));
    Decision suspended = new Decision(Action.SUSPENDED, null);
    assertEquals(suspended, AgentPlanner.withSandbox(suspended, false, NOW));
  }

  @Test
  void theGuardrailTripsOnlyOnEnoughTradesBelowTheWinRate() {
    GuardrailsSpec rails = new GuardrailsSpec();
    rails.setMinTrades(10);
    rails.setMinWinRate(0.4);
    Performance perf = new Performance();
    perf.setTrades(9);
    perf.setWinRate(0.1);
    assertTrue(AgentPlanner.guardrailTrip(rails, perf).isEmpty(), "too few trades to judge");
    perf.setTrades(10);
    assertEquals("win rate 0.10 below 0.4 after 10 trades; agent suspended (edit the spec to resume)",
        AgentPlanner.guardrailTrip(rails, perf).orElseThrow());
    perf.setWinRate(0.4);
    assertTrue(AgentPlanner.guardrailTrip(rails, perf).isEmpty(), "at the threshold it holds");
    assertTrue(AgentPlanner.guardrailTrip(null, perf).isEmpty());
    assertTrue(AgentPlanner.guardrailTrip(rails, null).isEmpty());
  }
}
