package io.neuraltrader.e2b.sandbox;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sampled figures of a status (usage, cost and its accrual time, execution counts, the keep-alive end time
 * and last renewal) that are newer than what is stored, per resource. Between status writes the reconciler
 * works from these; after a restart they are gone and recomputed: the end time from E2B's listing
 * ({@code endAt}), cost from the stored accrual time onwards, usage and counts from the next samples.
 */
final class SampledStatus {
  private final Map<ResourceID, E2BSandboxStatus> held = new ConcurrentHashMap<>();

  /** Keeps {@code status}'s sampled figures until the next write. */
  void hold(ResourceID id, E2BSandboxStatus status) {
    held.put(id, StatusWriter.copy(status));
  }

  void forget(ResourceID id) {
    held.remove(id);
  }

  /**
   * Puts the held figures into {@code status} (the stored one) when they are newer and for the same sandbox;
   * anything else the stored status says wins, and a held entry that no longer applies is dropped.
   */
  void overlay(ResourceID id, E2BSandboxStatus status) {
    E2BSandboxStatus h = held.get(id);
    if (h == null) {
      return;
    }
    Instant heldAt = Times.parse(h.getCostAccruedAt());
    Instant storedAt = Times.parse(status.getCostAccruedAt());
    if (!Objects.equals(h.getSandboxID(), status.getSandboxID()) || heldAt == null
        || (storedAt != null && !heldAt.isAfter(storedAt))) {
      held.remove(id, h);
      return;
    }
    status.setUsage(h.getUsage());
    status.setEstimatedCostUSD(h.getEstimatedCostUSD());
    status.setCostAccruedAt(h.getCostAccruedAt());
    status.setExecutionCount(h.getExecutionCount());
    status.setExecutionErrors(h.getExecutionErrors());
    status.setAverageExecutionMs(h.getAverageExecutionMs());
    status.setLastActivityAt(h.getLastActivityAt());
    Instant heldEnd = Times.parse(h.getExpiresAt());
    Instant storedEnd = Times.parse(status.getExpiresAt());
    if (heldEnd != null && (storedEnd == null || heldEnd.isAfter(storedEnd))) {
      status.setExpiresAt(h.getExpiresAt());
      status.setLastRenewedAt(h.getLastRenewedAt());
    }
  }

  /** A copy of {@code status} without the sampled figures: what a change worth a write is judged on. */
  static E2BSandboxStatus withoutSamples(E2BSandboxStatus status) {
    E2BSandboxStatus c = StatusWriter.copy(status);
    c.setUsage(null);
    c.setEstimatedCostUSD(null);
    c.setCostAccruedAt(null);
    c.setExecutionCount(null);
    c.setExecutionErrors(null);
    c.setAverageExecutionMs(null);
    c.setLastActivityAt(null);
    c.setExpiresAt(null);
    c.setLastRenewedAt(null);
    return c;
  }
}
