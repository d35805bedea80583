package io.neuraltrader.e2b.api.v1alpha1;

import java.util.List;
import java.util.Map;

/**
 * The {@code kubectl get} columns of each kind, in display order. The CRD generator only reads per-property
 * annotations, sorts them by JSON path and cannot add Age, so the CRD files take their columns from here.
 */
public final class PrinterColumns {
  private PrinterColumns() {}

  /** One column; priority 1 columns show only with {@code -o wide}. */
  public record Column(String name, String type, String jsonPath, int priority, String description) {
    static Column of(String name, String type, String jsonPath, String description) {
      return new Column(name, type, jsonPath, 0, description);
    }

    static Column wide(String name, String type, String jsonPath, String description) {
      return new Column(name, type, jsonPath, 1, description);
    }
  }

  private static final Column AGE =
      Column.of("Age", "date", ".metadata.creationTimestamp", "Time since the resource was created");

  public static final Map<String, List<Column>> BY_KIND = Map.of(
      "E2BSandbox", List.of(
          Column.of("Phase", "string", ".status.phase", "Lifecycle phase"),
          Column.of("Sandbox", "string", ".status.sandboxID", "E2B sandbox ID"),
          Column.of("Health", "string", ".status.health", "Healthy, Degraded or Unhealthy"),
          Column.of("Restarts", "integer", ".status.restarts", "Times the sandbox was recreated after loss"),
          Column.wide("Template", "string", ".spec.template", "E2B template"),
          // A string, not a date: kubectl prints a future date as <invalid>.
          Column.wide("Expires", "string", ".status.expiresAt", "When E2B kills the sandbox unless renewed"),
          AGE),
      "SandboxPool", List.of(
          Column.of("Desired", "integer", ".status.desiredReplicas", "Warm members wanted now"),
          Column.of("Ready", "integer", ".status.readyReplicas", "Warm members Running and claimable"),
          Column.of("Claimed", "integer", ".status.claimed", "Members bound to a claimer"),
          Column.of("Creating", "integer", ".status.creating", "Members being created"),
          Column.of("Schedule", "string", ".status.activeSchedule", "Open schedule window"),
          Column.wide("Max", "integer", ".spec.maxSandboxes", "Cap on warm plus claimed members"),
          AGE),
      "TradingAgent", List.of(
          Column.of("Strategy", "string", ".spec.strategy", "Trading strategy"),
          Column.of("Phase", "string", ".status.phase", "Lifecycle phase"),
          Column.of("Runs", "integer", ".status.runs", "Ticks run"),
          Column.of("Equity", "number", ".status.equity", "Paper equity in USD"),
          Column.of("PnL", "number", ".status.pnl", "Paper profit and loss in USD"),
          Column.wide("Sandbox", "string", ".status.sandboxID", "E2B sandbox ID"),
          Column.wide("Last-Run", "date", ".status.lastRunAt", "Last tick"),
          AGE),
      "E2BDeployment", List.of(
          Column.of("Desired", "integer", ".status.desiredReplicas", "Agents wanted now"),
          Column.of("Ready", "integer", ".status.readyReplicas", "Agents Ready"),
          Column.of("Up-to-date", "integer", ".status.updatedReplicas", "Agents on the current template"),
          Column.of("Schedule", "string", ".status.activeSchedule", "Open schedule window"),
          Column.of("Cost/h", "number", ".status.estimatedCostPerHourUSD", "Estimated E2B cost per hour"),
          Column.of("Consensus", "integer", ".status.symbolsInConsensus", "Symbols on which a quorum of agents agree"),
          Column.wide("PnL", "number", ".status.performance.totalPnl", "Paper PnL over all agents"),
          Column.wide("Next", "string", ".status.nextTransitionAt", "Next schedule transition (UTC)"),
          AGE));
}
