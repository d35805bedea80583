package io.neuraltrader.e2b.pool;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPoolStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Instant;

/** Writes a pool's status from its target and plan. Pure: no client, no events. */
final class PoolStatusBuilder {
  private PoolStatusBuilder() {}

  static void fill(SandboxPoolStatus status, String poolName, Long generation, PoolTarget target,
      PoolPlanner.Plan plan, Instant now) {
    status.setObservedGeneration(generation);
    counts(status, plan, target.desired());
    status.setSelector(ApiConstants.LABEL_POOL + "=" + poolName + ","
        + ApiConstants.LABEL_POOL_STATE + "=" + ApiConstants.POOL_STATE_WARM);
    status.setActiveSchedule(target.schedule().activeWindow().orElse(null));
    status.setNextTransitionAt(target.scheduled() ? Times.format(target.schedule().nextTransition()) : null);
    capacityHeld(status, plan, generation, now);
    scalingLimited(status, plan, generation, now);
    ready(status, plan, target.desired(), generation, now);
  }

  /** Member counts; the members this plan creates count as warm and creating. */
  static void counts(SandboxPoolStatus status, PoolPlanner.Plan plan, int desired) {
    status.setReplicas(plan.warm() + plan.create());
    status.setReadyReplicas(plan.ready());
    status.setClaimed(plan.claimed());
    status.setCreating(plan.creating() + plan.create());
    status.setDesiredReplicas(desired);
  }

  static void capacityHeld(SandboxPoolStatus status, PoolPlanner.Plan plan, Long generation, Instant now) {
    if (plan.heldBy() != null) {
      Conditions.set(status.getConditions(), "CapacityHeld", true, plan.heldBy(),
          "E2B answered " + plan.heldBy() + " for a member; holding new creates until it accepts again",
          generation, now);
    } else {
      Conditions.set(status.getConditions(), "CapacityHeld", false, "AsExpected", "", generation, now);
    }
  }

  static void scalingLimited(SandboxPoolStatus status, PoolPlanner.Plan plan, Long generation, Instant now) {
    if (plan.limitedBy() != null) {
      Conditions.set(status.getConditions(), "ScalingLimited", true, "MaxSandboxes", plan.limitedBy(), generation, now);
    } else {
      Conditions.set(status.getConditions(), "ScalingLimited", false, "AsExpected", "", generation, now);
    }
  }

  static void ready(SandboxPoolStatus status, PoolPlanner.Plan plan, int desired, Long generation, Instant now) {
    boolean ready = plan.ready() >= desired;
    Conditions.set(status.getConditions(), "Ready", ready, ready ? "WarmMembersReady" : "Filling",
        plan.ready() + "/" + desired + " warm members ready, " + plan.claimed() + " claimed", generation, now);
  }
}
