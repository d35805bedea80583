package io.neuraltrader.e2b.catalog;

/**
 * The platform's template quality score, in [0, 1]: the mean of three components, each in [0, 1].
 * <ul>
 *   <li>risk-adjusted return: Sharpe ratio / 2, clamped (a Sharpe of 2 or more scores 1, zero or negative 0);
 *   <li>capital preservation: 1 - max drawdown, clamped (a 25% drawdown scores 0.75);
 *   <li>execution efficiency: successful ticks / all ticks (status {@code runs} / ({@code runs} +
 *       {@code failedRuns})), the share of the agent's scheduled decisions that ran to completion in its
 *       sandbox; an agent whose every tick failed scores 0.
 * </ul>
 * No score without a performance record or without a single tick: there is nothing to rate.
 */
public final class QualityScore {
  private QualityScore() {}

  /** Successful ticks over all ticks; null when there were none. */
  public static Double executionEfficiency(Long runs, Long failedRuns) {
    long ok = runs == null ? 0 : Math.max(0, runs);
    long failed = failedRuns == null ? 0 : Math.max(0, failedRuns);
    return ok + failed == 0 ? null : (double) ok / (ok + failed);
  }

  /** The score, rounded to 4 decimals; null when a component is unknown. */
  public static Double of(Double sharpe, Double maxDrawdown, Double executionEfficiency) {
    if (sharpe == null || maxDrawdown == null || executionEfficiency == null || !Double.isFinite(sharpe)
        || !Double.isFinite(maxDrawdown) || !Double.isFinite(executionEfficiency)) {
      return null;
    }
    double score = (clamp(sharpe / 2) + clamp(1 - Math.abs(maxDrawdown)) + clamp(executionEfficiency)) / 3;
    return Math.round(score * 10_000) / 10_000.0;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
