package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.AnomalySpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.shared.ErrorRateBaseline;
import java.time.Instant;

/**
 * The agent's tick error rate against its baseline ({@link ErrorRateBaseline}): ticks are runs + failedRuns,
 * failures failedRuns. Pure: updates status.errorRate and the Anomalous condition, and says whether the
 * verdict turned.
 */
final class AgentErrorRate {
  static final String ANOMALOUS = "Anomalous";

  private AgentErrorRate() {}

  /** What changed: {@code raised} or {@code cleared} is the event to record (both false: none). */
  record Change(ErrorRateBaseline.Verdict verdict, boolean raised, boolean cleared, String message) {}

  /** Null when detection is disabled (status.errorRate and the condition are then removed). */
  static Change update(TradingAgentStatus status, AnomalySpec spec, Long generation, Instant now) {
    if (spec != null && Boolean.FALSE.equals(spec.getEnabled())) {
      status.setErrorRate(null);
      Conditions.remove(status.getConditions(), ANOMALOUS);
      return null;
    }
    ErrorRateBaseline.Settings settings = ErrorRateBaseline.Settings.of(spec);
    long failed = status.getFailedRuns() == null ? 0 : status.getFailedRuns();
    long executions = (status.getRuns() == null ? 0 : status.getRuns()) + failed;
    boolean was = Conditions.isTrue(status.getConditions(), ANOMALOUS);
    ErrorRateBaseline.Verdict verdict = ErrorRateBaseline.observe(ErrorRateBaseline.fromStatus(status.getErrorRate()),
        executions, failed, now, settings);
    status.setErrorRate(ErrorRateBaseline.toStatus(verdict));
    String message = verdict.describe(settings);
    Conditions.set(status.getConditions(), ANOMALOUS, verdict.anomalous(), verdict.reason(), message, generation,
        now);
    return new Change(verdict, verdict.anomalous() && !was, !verdict.anomalous() && was, message);
  }
}
