package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.reconcile.Backoff;
import io.neuraltrader.e2b.schedule.MarketCalendar;
import io.neuraltrader.e2b.schedule.MarketSessions;
import java.time.Duration;
import java.time.Instant;

/** Decides what an agent does now: wait, tick, or stay put (suspended, outside market hours). Pure. */
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

  /** Tick attempts recorded in a status: successful plus failed runs. */
  public static long attempts(Long runs, Long failedRuns) {
    return (runs == null ? 0 : runs) + (failedRuns == null ? 0 : failedRuns);
  }

  /**
   * True when a status shows fewer tick attempts than the last status this operator wrote: the view is older
   * than our own write and must not be acted on.
   */
  public static boolean isStale(Long lastWrittenAttempts, Long runs, Long failedRuns) {
    return lastWrittenAttempts != null && attempts(runs, failedRuns) < lastWrittenAttempts;
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
