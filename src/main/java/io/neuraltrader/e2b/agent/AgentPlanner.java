package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.GuardrailsSpec;
import io.neuraltrader.e2b.api.v1alpha1.Performance;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Backoff;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.schedule.Durations;
import io.neuraltrader.e2b.schedule.MarketCalendar;
import io.neuraltrader.e2b.schedule.MarketSessions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides what an agent does now: which sandbox step to take (acquire, release, none), whether the guardrail
 * re-arms, and whether to wait, tick, or stay put (suspended, outside market hours). Pure.
 */
public final class AgentPlanner {
  /** How long a failed tick waits at most before the next try. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
  static final Duration SANDBOX_POLL = Duration.ofSeconds(2);

  private AgentPlanner() {}

  public enum Action { SUSPENDED, OUTSIDE_MARKET_HOURS, WAIT_FOR_SANDBOX, TICK, WAIT }

  /**
   * What the decision depends on. {@code retryAt} is when the last failed tick asked to be tried again (its
   * {@code nextRunAt}); null after a success.
   */
  public record Facts(boolean suspended, boolean guardrailTripped, boolean marketOpen, Instant nextOpen,
      boolean sandboxReady, Instant lastRunAt, Duration interval, int consecutiveFailures, Instant retryAt,
      Instant now) {}

  public record Decision(Action action, Instant wakeAt) {}

  /** What happens to the agent's sandbox this reconcile. */
  public enum SandboxStep {
    /** Keep whatever the agent holds (outside market hours, or an invalid spec). */
    NONE,
    /** Give pool members back and pause an own sandbox (suspended by the spec or a guardrail). */
    RELEASE,
    /** Look up the referenced sandbox, claim a pool member, or create/update the own sandbox. */
    ACQUIRE
  }

  /**
   * One reconcile's plan. {@code problems} non-empty: the spec is invalid and nothing else happens.
   * {@code decision} is what to do once the sandbox step is done, given a ready sandbox; see {@link #withSandbox}.
   */
  public record Plan(List<String> problems, Duration interval, boolean rearmGuardrail, boolean guardrailTripped,
      Market market, SandboxStep sandbox, Decision decision) {
    public boolean invalid() {
      return !problems.isEmpty();
    }
  }

  /** The plan for {@code spec} and the observed status, market and time. */
  public static Plan plan(TradingAgentSpec spec, TradingAgentStatus status, Long generation, List<String> problems,
      Market market, Instant now) {
    if (!problems.isEmpty()) {
      return new Plan(problems, null, false, false, market, SandboxStep.NONE, null);
    }
    Duration interval = Durations.parse(spec.getInterval());
    boolean tripped = guardrailTripped(status, generation);
    boolean rearm = !tripped && Conditions.isTrue(status.getConditions(), AgentStatusBuilder.GUARDRAIL);
    boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
    SandboxStep step = suspended || tripped ? SandboxStep.RELEASE
        : market.open() ? SandboxStep.ACQUIRE : SandboxStep.NONE;
    Decision decision = decide(new Facts(suspended, tripped, market.open(), market.nextOpen(), true,
        Times.parse(status.getLastRunAt()), interval, nz(status.getConsecutiveFailures()),
        Times.parse(status.getNextRunAt()), now));
    return new Plan(problems, interval, rearm, tripped, market, step, decision);
  }

  /**
   * A guardrail trip holds for the generation it tripped at: a spec change (a new generation) is the
   * documented way to resume.
   */
  static boolean guardrailTripped(TradingAgentStatus status, Long generation) {
    return Conditions.find(status.getConditions(), AgentStatusBuilder.GUARDRAIL)
        .map(c -> Conditions.TRUE.equals(c.getStatus()) && generation != null
            && generation.equals(c.getObservedGeneration()))
        .orElse(false);
  }

  /** The plan's decision once the sandbox step is done: nothing ticks or waits for a tick without a ready sandbox. */
  public static Decision withSandbox(Decision planned, boolean sandboxReady, Instant now) {
    if (!sandboxReady && (planned.action() == Action.TICK || planned.action() == Action.WAIT)) {
      return new Decision(Action.WAIT_FOR_SANDBOX, now.plus(SANDBOX_POLL));
    }
    return planned;
  }

  /** Why a guardrail trips on {@code performance}; empty while it holds (or too few trades to judge). */
  public static Optional<String> guardrailTrip(GuardrailsSpec rails, Performance performance) {
    if (rails == null || performance == null || performance.getTrades() == null
        || performance.getTrades() < rails.getMinTrades() || performance.getWinRate() >= rails.getMinWinRate()) {
      return Optional.empty();
    }
    return Optional.of("win rate " + String.format("%.2f", performance.getWinRate()) + " below "
        + rails.getMinWinRate() + " after " + performance.getTrades()
        + " trades; agent suspended (edit the spec to resume)");
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }

  /** Whether the market is open now and, when it is not, when it opens next. */
  public record Market(boolean open, Instant nextOpen) {
    public static final Market ALWAYS_OPEN = new Market(true, null);
  }

  /**
   * The market state of a calendar (null: no market hours, always open). A calendar with no session in its
   * search horizon (data missing) is rechecked a day later rather than never.
   */
  public static Market market(MarketCalendar calendar, Instant now) {
    if (calendar == null || MarketSessions.isOpen(calendar, now)) {
      return Market.ALWAYS_OPEN;
    }
    return new Market(false, MarketSessions.nextOpen(calendar, now).orElse(now.plus(Duration.ofDays(1))));
  }

  public static Decision decide(Facts f) {
    if (f.suspended() || f.guardrailTripped()) {
      return new Decision(Action.SUSPENDED, null);
    }
    if (!f.marketOpen()) {
      return new Decision(Action.OUTSIDE_MARKET_HOURS, f.nextOpen());
    }
    if (!f.sandboxReady()) {
      return new Decision(Action.WAIT_FOR_SANDBOX, f.now().plus(SANDBOX_POLL));
    }
    Instant due = f.consecutiveFailures() > 0 && f.retryAt() != null ? f.retryAt()
        : nextRun(f.lastRunAt(), f.interval(), f.consecutiveFailures());
    if (due == null || !f.now().isBefore(due)) {
      return new Decision(Action.TICK, null);
    }
    return new Decision(Action.WAIT, due);
  }

  /**
   * The 0-based number of the next tick: the completed ticks the status counts, or one after the tick the
   * persisted state belongs to when that is further (the state was written but the status write was lost),
   * so a tick is never run twice on top of its own result. 0 for an agent without any state.
   */
  public static long tickNumber(long runs, com.fasterxml.jackson.databind.JsonNode state) {
    if (state == null || state.isNull() || !state.path("tick").canConvertToLong()) {
      return runs;
    }
    return Math.max(runs, state.path("tick").asLong() + 1);
  }

  /**
   * The next try after a tick that failed on E2B's side (a 5xx, a 429, a reset connection, a sandbox that is
   * being replaced): the sandbox retry backoff (5 s, 10 s, 20 s, ...), never later than one interval and never
   * before E2B's Retry-After. Such a failure says nothing about the strategy, so it must not push the agent's
   * first tick out by the strategy backoff (interval doubled per failure, up to MAX_BACKOFF).
   */
  public static Instant retryAfterServiceFailure(Instant now, Duration interval, int consecutiveFailures,
      Duration retryAfter) {
    Duration wait = Backoff.DEFAULT.delay(consecutiveFailures);
    if (wait.compareTo(interval) > 0) {
      wait = interval;
    }
    if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
      wait = retryAfter;
    }
    return now.plus(wait);
  }

  /** The next tick after {@code last}: one interval, doubled per consecutive failure up to MAX_BACKOFF. */
  public static Instant nextRun(Instant last, Duration interval, int consecutiveFailures) {
    if (last == null) {
      return null;
    }
    Duration wait = interval;
    for (int i = 0; i < consecutiveFailures && wait.compareTo(MAX_BACKOFF) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    if (consecutiveFailures > 0 && wait.compareTo(MAX_BACKOFF) > 0) {
      wait = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
    }
    return last.plus(wait);
  }
}
