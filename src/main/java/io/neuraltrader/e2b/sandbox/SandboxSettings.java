package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.CostModel;
import io.neuraltrader.e2b.reconcile.Backoff;
import java.time.Duration;

/**
 * Tunables of the E2BSandbox controller.
 *
 * @param operatorId tags every sandbox; the list filter and the orphan reaper use it. Keep it stable across
 *     restarts and replicas (e.g. the Helm release name), or a restarted operator cannot recognise its sandboxes
 * @param statusRefresh how often usage, health and cost are refreshed in status while nothing else changes
 * @param cost prices for the cost estimate
 * @param backoff retry delays after errors
 */
public record SandboxSettings(String operatorId, Duration statusRefresh, CostModel cost, Backoff backoff) {
  public static SandboxSettings defaults(String operatorId) {
    return new SandboxSettings(operatorId, Duration.ofSeconds(60), CostModel.E2B_LIST_PRICES, Backoff.DEFAULT);
  }

  public SandboxSettings withStatusRefresh(Duration refresh) {
    return new SandboxSettings(operatorId, refresh, cost, backoff);
  }
}
