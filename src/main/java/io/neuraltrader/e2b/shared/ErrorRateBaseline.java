package io.neuraltrader.e2b.shared;

import io.neuraltrader.e2b.api.v1alpha1.AnomalySpec;
import io.neuraltrader.e2b.api.v1alpha1.ErrorRateStatus;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Duration;
import java.time.Instant;

/**
 * Error-rate anomaly detection over monotonic execution and failure counters. Pure.
 *
 * <p>Executions are counted in fixed windows. When a window closes, its rate (failures / executions) moves the
 * baseline, an exponentially weighted average with weight {@code 1 - exp(-window / horizon)}, unless the window
 * itself was anomalous: a lasting incident then stays visible until the rate falls back instead of becoming the
 * new normal. The current rate is the open window's once it has {@code minSamples} executions, else the last
 * closed window's if that had enough. It is anomalous when it exceeds {@code factor x max(baseline,
 * minBaseline)}; without a closed window there is no baseline and no verdict.
 */
public final class ErrorRateBaseline {
  private ErrorRateBaseline() {}

  public record Settings(double factor, long minSamples, Duration window, Duration horizon, double minBaseline) {
    public static final Settings DEFAULT = new Settings(3.0, 10, Duration.ofMinutes(5), Duration.ofHours(1), 0.02);

    /** A spec's settings; null is the spec's defaults. */
    public static Settings of(AnomalySpec spec) {
      AnomalySpec s = spec == null ? new AnomalySpec() : spec;
      return new Settings(s.getFactor(), s.getMinSamples(), Duration.ofSeconds(s.getWindowSeconds()),
          Duration.ofSeconds(s.getHorizonSeconds()), s.getMinBaseline());
    }

    double weight() {
      return 1 - Math.exp(-(double) window.toMillis() / horizon.toMillis());
    }

    double threshold(double baseline) {
      return factor * Math.max(baseline, minBaseline);
    }
  }

  /**
   * @param baseline null before the first window closes
   * @param windows closed windows in the baseline
   * @param lastRate the last closed window's rate (null: it had no executions)
   */
  public record State(Double baseline, long windows, Instant windowStart, long executions, long failures,
      Double lastRate, long lastExecutions, long seenExecutions, long seenFailures) {}

  /** The new state and the verdict on the current rate (null: not enough executions to judge). */
  public record Verdict(State state, Double currentRate, boolean anomalous) {
    /** The Anomalous condition's reason. */
    public String reason() {
      return anomalous ? "ErrorRateSpike" : state.baseline() == null ? "NoBaseline" : "WithinBaseline";
    }

    /** "error rate 0.5 over 12 executions, 3 x baseline 0.02 is 0.06" style text for conditions and events. */
    public String describe(Settings settings) {
      if (state.baseline() == null) {
        return "no baseline yet (the first " + settings.window().toSeconds() + "s window is still open)";
      }
      String current = currentRate == null ? "not enough executions to judge (fewer than " + settings.minSamples() + ")"
          : "error rate " + round(currentRate) + " over " + (state.executions() >= settings.minSamples()
              ? state.executions() : state.lastExecutions()) + " executions";
      return current + "; threshold " + round(settings.threshold(state.baseline())) + " (" + round(settings.factor())
          + " x baseline " + round(state.baseline()) + ", floor " + round(settings.minBaseline()) + ")";
    }
  }

  public static Verdict observe(State previous, long executionsTotal, long failuresTotal, Instant now, Settings s) {
    if (previous == null || previous.windowStart() == null) {
      return new Verdict(new State(null, 0, now, 0, 0, null, 0, executionsTotal, failuresTotal), null, false);
    }
    long newExecutions = executionsTotal - previous.seenExecutions();
    long newFailures = failuresTotal - previous.seenFailures();
    if (newExecutions < 0 || newFailures < 0 || newFailures > Math.max(newExecutions, 0)) {
      // The counters went back (a member was replaced): count nothing new, follow the counters from here.
      newExecutions = 0;
      newFailures = 0;
    }
    Double baseline = previous.baseline();
    long windows = previous.windows();
    Instant start = previous.windowStart();
    long executions = previous.executions() + newExecutions;
    long failures = previous.failures() + newFailures;
    Double lastRate = previous.lastRate();
    long lastExecutions = previous.lastExecutions();
    if (!now.isBefore(start.plus(s.window()))) {
      if (executions > 0) {
        double rate = (double) failures / executions;
        boolean anomalous = baseline != null && executions >= s.minSamples() && rate > s.threshold(baseline);
        if (!anomalous) {
          baseline = baseline == null ? rate : baseline + s.weight() * (rate - baseline);
          windows++;
        }
        lastRate = rate;
      } else {
        lastRate = null;
      }
      lastExecutions = executions;
      long elapsed = Duration.between(start, now).toMillis();
      start = start.plusMillis(elapsed - elapsed % s.window().toMillis());
      executions = 0;
      failures = 0;
    }
    State state = new State(baseline, windows, start, executions, failures, lastRate, lastExecutions,
        executionsTotal, failuresTotal);
    Double current = executions >= s.minSamples() ? Double.valueOf((double) failures / executions)
        : lastRate != null && lastExecutions >= s.minSamples() ? lastRate : null;
    boolean anomalous = baseline != null && current != null && current > s.threshold(baseline);
    return new Verdict(state, current, anomalous);
  }

  /** When the open window closes: the next time a verdict can change without new executions. */
  public static Instant windowEnd(State state, Settings s) {
    return state.windowStart().plus(s.window());
  }

  public static State fromStatus(ErrorRateStatus status) {
    if (status == null || Times.parse(status.getWindowStart()) == null) {
      return null;
    }
    return new State(status.getBaseline(), nz(status.getWindows()), Times.parse(status.getWindowStart()),
        nz(status.getWindowExecutions()), nz(status.getWindowFailures()), status.getLastRate(),
        nz(status.getLastExecutions()), nz(status.getSeenExecutions()), nz(status.getSeenFailures()));
  }

  public static ErrorRateStatus toStatus(Verdict verdict) {
    State s = verdict.state();
    ErrorRateStatus out = new ErrorRateStatus();
    out.setAnomalous(verdict.anomalous());
    out.setCurrentRate(verdict.currentRate() == null ? null : round(verdict.currentRate()));
    out.setBaseline(s.baseline() == null ? null : round(s.baseline()));
    out.setWindows(s.windows());
    out.setWindowStart(Times.format(s.windowStart()));
    out.setWindowExecutions(s.executions());
    out.setWindowFailures(s.failures());
    out.setLastRate(s.lastRate() == null ? null : round(s.lastRate()));
    out.setLastExecutions(s.lastExecutions());
    out.setSeenExecutions(s.seenExecutions());
    out.setSeenFailures(s.seenFailures());
    return out;
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  private static long nz(Long v) {
    return v == null ? 0 : v;
  }
}
