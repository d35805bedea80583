package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent's status for each outcome of a reconcile, written in place. Pure: a function of the status, the
 * generation, what happened and the time. A condition's lastTransitionTime moves only when its status or its
 * reason changes, so a user sees when the agent last changed state, not when it last ticked.
 */
final class AgentStatusBuilder {
  static final String READY = "Ready";
  static final String SANDBOX_READY = "SandboxReady";
  static final String HEALTHY = "Healthy";
  static final String GUARDRAIL = "GuardrailTripped";

  private AgentStatusBuilder() {}

  /** Why the agent waits for a sandbox, as a SandboxReady reason and a message naming what is missing. */
  record Waiting(String reason, String message) {}

  static void invalid(TradingAgentStatus status, Long generation, String message, Instant now) {
    status.setPhase(AgentPhase.Failed);
    status.setLastError(Reasons.INVALID_SPEC + ": " + message);
    condition(status, READY, false, Reasons.INVALID_SPEC, message, generation, now);
  }

  /** The guardrail re-armed: the spec changed since it tripped. */
  static void rearmed(TradingAgentStatus status, Long generation, Instant now) {
    condition(status, GUARDRAIL, false, "SpecChanged", "Re-armed after a spec change", generation, now);
  }

  /** The guardrail tripped on the last tick's performance: suspended until the spec changes. */
  static void tripped(TradingAgentStatus status, Long generation, String message, Instant now) {
    condition(status, GUARDRAIL, true, "MinWinRate", message, generation, now);
    suspended(status, generation, true, now);
  }

  static void suspended(TradingAgentStatus status, Long generation, boolean guardrail, Instant now) {
    status.setPhase(AgentPhase.Suspended);
    status.setNextRunAt(null);
    condition(status, READY, false, guardrail ? GUARDRAIL : "Suspended",
        guardrail ? "Suspended by a guardrail" : "spec.suspend is true", generation, now);
  }

  /** The agent gave its pool members back. */
  static void released(TradingAgentStatus status) {
    status.setSandboxRef(null);
    status.setSandboxID(null);
  }

  static void outsideMarketHours(TradingAgentStatus status, Long generation, Instant nextOpen, Instant now) {
    status.setPhase(AgentPhase.OutsideMarketHours);
    status.setNextRunAt(Times.format(nextOpen));
    condition(status, READY, true, "OutsideMarketHours", "Market closed; next session opens " + Times.format(nextOpen),
        generation, now);
  }

  static void waitingForSandbox(TradingAgentStatus status, Long generation, Waiting why, Instant now) {
    status.setPhase(AgentPhase.WaitingForSandbox);
    condition(status, SANDBOX_READY, false, why.reason(), why.message(), generation, now);
    condition(status, READY, false, "WaitingForSandbox", why.message(), generation, now);
  }

  /** Running, the next tick not due before {@code due}. */
  static void waiting(TradingAgentStatus status, Instant due) {
    status.setPhase(AgentPhase.Running);
    status.setNextRunAt(Times.format(due));
  }

  static void sandboxReady(TradingAgentStatus status, Long generation, String sandboxName, String sandboxID,
      Instant now) {
    status.setSandboxRef(sandboxName);
    status.setSandboxID(sandboxID);
    condition(status, SANDBOX_READY, true, "Running", "Sandbox " + sandboxName + " (" + sandboxID + ")", generation,
        now);
  }

  /** A tick succeeded: it was tick number {@code runs}; the next one is due at {@code next}. */
  static void ticked(TradingAgentStatus status, Long generation, double capital, TickResult result, long runs,
      long durationMs, Instant next, Instant now) {
    status.setPhase(AgentPhase.Running);
    status.setRuns(runs);
    status.setConsecutiveFailures(0);
    status.setLastRunAt(Times.format(now));
    status.setLastRunDurationMs(durationMs);
    status.setSignals(result.signals());
    status.setPortfolio(result.portfolio());
    status.setPerformance(result.performance());
    double equity = result.portfolio().getEquity();
    status.setEquity(equity);
    status.setPnl(Math.round((equity - capital) * 100) / 100.0);
    status.setLastError(result.halted() ? "Halted: " + result.haltReason() : null);
    status.setNextRunAt(Times.format(next));
    condition(status, READY, true, "Running", "Tick " + runs + " done at " + Times.format(now), generation, now);
    if (result.halted()) {
      condition(status, HEALTHY, false, "DrawdownHalt", result.haltReason(), generation, now);
    } else {
      condition(status, HEALTHY, true, "TicksSucceeding", "", generation, now);
    }
  }

  /** A tick failed; returns when to try again. */
  static Instant failed(TradingAgentStatus status, Long generation, TickFailure failure, Duration interval,
      Instant now) {
    int failures = (status.getConsecutiveFailures() == null ? 0 : status.getConsecutiveFailures()) + 1;
    Instant next = failure.nextTry(now, interval, failures);
    status.setConsecutiveFailures(failures);
    status.setFailedRuns((status.getFailedRuns() == null ? 0 : status.getFailedRuns()) + 1);
    status.setLastRunAt(Times.format(now));
    status.setLastError(failure.reason() + ": " + failure.message());
    status.setPhase(AgentPhase.Running);
    status.setNextRunAt(Times.format(next));
    condition(status, HEALTHY, false, failure.reason(), failure.conditionMessage(failures, next), generation, now);
    return next;
  }

  private static void condition(TradingAgentStatus status, String type, boolean value, String reason, String message,
      Long generation, Instant now) {
    String previousReason = Conditions.reason(status.getConditions(), type);
    boolean existed = Conditions.find(status.getConditions(), type).isPresent();
    Conditions.set(status.getConditions(), type, value, reason, message, generation, now);
    if (existed && !Objects.equals(previousReason, reason)) {
      Conditions.find(status.getConditions(), type).ifPresent(c -> c.setLastTransitionTime(Times.format(now)));
    }
  }
}
