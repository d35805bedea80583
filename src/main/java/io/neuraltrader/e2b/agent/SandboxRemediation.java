package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.RemediationSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Whether an agent replaces its sandbox now. Pure: the settings, the sandbox's execution record (executions
 * and failures since it was created, so a replacement starts from zero), the last replacement and now in.
 *
 * <p>A sandbox is failing when at least minExecutions ran and more than maxErrorRate of them failed. It is
 * replaced at most once per minInterval: a template that fails in every sandbox is replaced once per interval,
 * never in a loop, and the condition says when the next replacement may come.
 */
public final class SandboxRemediation {
  private SandboxRemediation() {}

  public record Settings(boolean enabled, double maxErrorRate, long minExecutions, Duration minInterval) {}

  public enum Action { NONE, REPLACE, RATE_LIMITED }

  /**
   * @param why what the sandbox's record is, for the event and condition
   * @param retryAt when a rate-limited replacement may happen (null otherwise)
   */
  public record Decision(Action action, String why, Instant retryAt) {}

  /** The spec's settings; without {@code enabled}, remediation is on for the agents of a deployment. */
  public static Settings settings(RemediationSpec spec, boolean deploymentOwned) {
    RemediationSpec s = spec == null ? new RemediationSpec() : spec;
    boolean enabled = s.getEnabled() == null ? deploymentOwned : s.getEnabled();
    return new Settings(enabled, s.getMaxErrorRate(), s.getMinExecutions(),
        Duration.ofSeconds(s.getMinIntervalSeconds()));
  }

  public static Decision decide(Settings s, long executions, long failures, Instant lastReplaced, Instant now) {
    if (!s.enabled()) {
      return new Decision(Action.NONE, "remediation is off", null);
    }
    if (executions < s.minExecutions() || executions == 0) {
      return new Decision(Action.NONE, String.format(Locale.ROOT, "%d of its %d executions failed; too few to judge"
          + " (minExecutions %d)", failures, executions, s.minExecutions()), null);
    }
    double rate = (double) failures / executions;
    String why = String.format(Locale.ROOT, "%d of its %d executions failed (%.0f%%, %s %.0f%%)", failures,
        executions, rate * 100, rate > s.maxErrorRate() ? "above" : "within", s.maxErrorRate() * 100);
    if (rate <= s.maxErrorRate()) {
      return new Decision(Action.NONE, why, null);
    }
    if (lastReplaced != null && now.isBefore(lastReplaced.plus(s.minInterval()))) {
      return new Decision(Action.RATE_LIMITED, why, lastReplaced.plus(s.minInterval()));
    }
    return new Decision(Action.REPLACE, why, null);
  }
}
