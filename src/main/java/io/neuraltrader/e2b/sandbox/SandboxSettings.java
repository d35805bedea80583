package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.CostModel;
import io.neuraltrader.e2b.reconcile.Backoff;
import java.time.Duration;

/**
 * Tunables of the E2BSandbox controller.
 *
 * @param operatorId tags every sandbox; the list filter and the orphan reaper use it. Keep it stable across
 *     restarts and replicas (e.g. the Helm release name), or a restarted operator cannot recognise its sandboxes
 * @param statusRefresh how often usage, health and cost are looked at again while nothing else changes; a
 *     change of phase, conditions or health is written at once
 * @param sampleWrite how often the sampled figures alone (usage, cost, execution counts, the keep-alive end time)
 *     are written to status: they change at every refresh and renewal, and a write each time would cost the
 *     API server far more than anyone reading them gains
 * @param cost prices for the cost estimate
 * @param backoff retry delays after errors
 */
public record SandboxSettings(String operatorId, Duration statusRefresh, Duration sampleWrite, CostModel cost,
    Backoff backoff) {
  public static final Duration DEFAULT_SAMPLE_WRITE = Duration.ofMinutes(30);

  public static SandboxSettings defaults(String operatorId) {
    return new SandboxSettings(operatorId, Duration.ofSeconds(60), DEFAULT_SAMPLE_WRITE, CostModel.E2B_LIST_PRICES,
        Backoff.DEFAULT);
  }

  public SandboxSettings withStatusRefresh(Duration refresh) {
    return new SandboxSettings(operatorId, refresh, sampleWrite, cost, backoff);
  }
}
