package io.neuraltrader.e2b.deployment;

import io.neuraltrader.e2b.schedule.Occurrence;
import io.neuraltrader.e2b.schedule.ScheduleDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How many agents a deployment runs now. Pure: the schedule decision, the spec and the previous status in,
 * the target of this step out.
 *
 * <ul>
 *   <li>desired = the active window's replicas (pre-warm included), else spec.replicas;</li>
 *   <li>a change of spec.replicas during a window (kubectl scale) is a manual override that holds until that
 *       window closes; the schedule resumes at the next boundary;</li>
 *   <li>never above maxReplicas; a jump beyond maxScaleUpFactor x current (at least 1) holds at current until
 *       the approval annotation names the goal;</li>
 *   <li>moves at most maxStep per stepIntervalSeconds, and a scale-up step waits for the previous one to be
 *       Ready.</li>
 * </ul>
 */
public final class ReplicaPlanner {
  private ReplicaPlanner() {}

  /** Scaling settings, as in spec.scaling. */
  public record Scaling(int maxStep, Duration stepInterval, int maxReplicas, double maxScaleUpFactor) {}

  /** A manual override: replicas held until {@code until} (the end of window {@code window}). */
  public record Override(int replicas, String window, Instant until) {}

  public record Input(int specReplicas, Integer lastSeenSpecReplicas, Override override, ScheduleDecision schedule,
      Scaling scaling, int current, int ready, Instant lastScaleTime, String approval, Instant now) {}

  /**
   * @param desired where the deployment is heading (after the cap)
   * @param target the count for this step
   * @param override the manual override in force (null when none)
   * @param limited why the deployment cannot reach desired right now (null when it can)
   * @param limitReason condition reason: MaxReplicas, AwaitingApproval
   * @param wakeAt when stepping may continue (null when no step is pending)
   */
  public record Plan(int desired, int target, Override override, String limited, String limitReason,
      Instant wakeAt) {}

  public static Plan plan(Input in) {
    Optional<Occurrence> active = in.schedule().active();
    Override override = in.override();
    if (override != null && !in.now().isBefore(override.until())) {
      override = null;
    }
    boolean specChanged = in.lastSeenSpecReplicas() != null && in.specReplicas() != in.lastSeenSpecReplicas();
    if (specChanged && active.isPresent()) {
      override = new Override(in.specReplicas(), active.get().window(), active.get().closesAt());
    } else if (specChanged) {
      override = null;
    }
    int desired = override != null ? override.replicas()
        : active.map(Occurrence::replicas).orElse(in.specReplicas());

    String limited = null;
    String reason = null;
    if (desired > in.scaling().maxReplicas()) {
      limited = "desired " + desired + " capped at scaling.maxReplicas " + in.scaling().maxReplicas();
      reason = "MaxReplicas";
      desired = in.scaling().maxReplicas();
    }
    int goal = desired;
    int base = Math.max(in.current(), 1);
    int allowedWithoutApproval = (int) Math.floor(base * in.scaling().maxScaleUpFactor());
    if (goal > in.current() && goal > allowedWithoutApproval && !String.valueOf(goal).equals(in.approval())) {
      limited = "scaling from " + in.current() + " to " + goal + " exceeds maxScaleUpFactor "
          + in.scaling().maxScaleUpFactor() + "; approve with: kubectl annotate e2bdeployment <name> "
          + "e2b.neuraltrader.io/approve-scale=" + goal;
      reason = "AwaitingApproval";
      // Hold where we are: stepping part of the way would raise the base and let the rest through unapproved.
      goal = in.current();
    }

    int target = in.current();
    Instant wakeAt = null;
    if (goal != in.current()) {
      Instant stepAllowedAt = in.lastScaleTime() == null ? in.now() : in.lastScaleTime().plus(in.scaling().stepInterval());
      boolean previousStepReady = goal < in.current() || in.ready() >= in.current();
      if (!in.now().isBefore(stepAllowedAt) && previousStepReady) {
        int step = Math.max(-in.scaling().maxStep(), Math.min(in.scaling().maxStep(), goal - in.current()));
        target = in.current() + step;
        if (target != goal) {
          wakeAt = in.now().plus(in.scaling().stepInterval());
        }
      } else if (in.now().isBefore(stepAllowedAt)) {
        wakeAt = stepAllowedAt;
      }
    }
    return new Plan(desired, target, override, limited, reason, wakeAt);
  }
}
