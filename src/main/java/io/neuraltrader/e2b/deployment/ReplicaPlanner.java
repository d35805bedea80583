package io.neuraltrader.e2b.deployment;

import io.neuraltrader.e2b.schedule.Occurrence;
import io.neuraltrader.e2b.schedule.ScheduleDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many agents a deployment runs now. Pure: the schedule decision, the spec and the previous status in,
 * the target of this step out.
 *
 * <ul>
 *   <li>desired = the active window's replicas (pre-warm included), else spec.replicas, plus the active market
 *       conditions' delta ({@link MarketConditionsPlanner#apply});</li>
 *   <li>a change of spec.replicas during a window (kubectl scale) is a manual override that holds until that
 *       window closes; the schedule resumes at the next boundary; market conditions do not move it;</li>
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

  /**
   * @param marketDelta the active market conditions' replicas (0: none)
   * @param marketWhy the active market conditions, described (empty: none)
   */
  public record Input(int specReplicas, Integer lastSeenSpecReplicas, Override override, ScheduleDecision schedule,
      Scaling scaling, int current, int ready, Instant lastScaleTime, String approval, Instant now, int marketDelta,
      String marketWhy) {
    public Input(int specReplicas, Integer lastSeenSpecReplicas, Override override, ScheduleDecision schedule,
        Scaling scaling, int current, int ready, Instant lastScaleTime, String approval, Instant now) {
      this(specReplicas, lastSeenSpecReplicas, override, schedule, scaling, current, ready, lastScaleTime, approval,
          now, 0, "");
    }
  }

  /**
   * @param desired where the deployment is heading (after the cap)
   * @param target the count for this step
   * @param override the manual override in force (null when none)
   * @param limited why the deployment cannot reach desired right now (null when it can)
   * @param limitReason condition reason: MaxReplicas, AwaitingApproval
   * @param wakeAt when stepping may continue (null when no step is pending)
   * @param why how desired came about: the base, market conditions, the cap
   */
  public record Plan(int desired, int target, Override override, String limited, String limitReason,
      Instant wakeAt, String why) {}

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
    int base = override != null ? override.replicas() : active.map(Occurrence::replicas).orElse(in.specReplicas());
    StringBuilder why = new StringBuilder(override != null
        ? "manual override " + base + " until window " + override.window() + " ends"
        : active.map(o -> "window " + o.window() + ": " + base).orElse("spec.replicas " + base));
    int desired = base;
    if (override == null && in.marketDelta() != 0) {
      desired = MarketConditionsPlanner.apply(base, in.marketDelta());
      why.append(base <= 0 ? "; market conditions wait for agents (" : "; market conditions ")
          .append(in.marketDelta() > 0 ? "+" : "").append(in.marketDelta())
          .append(base <= 0 ? "): " : " -> " + desired + ": ").append(in.marketWhy());
    } else if (override != null && in.marketDelta() != 0) {
      why.append("; market conditions (").append(in.marketDelta() > 0 ? "+" : "").append(in.marketDelta())
          .append(") wait for the override to end");
    }

    String limited = null;
    String reason = null;
    if (desired > in.scaling().maxReplicas()) {
      limited = "desired " + desired + " capped at scaling.maxReplicas " + in.scaling().maxReplicas();
      reason = "MaxReplicas";
      desired = in.scaling().maxReplicas();
      why.append("; capped at scaling.maxReplicas ").append(desired);
    }
    int goal = desired;
    int allowedWithoutApproval = (int) Math.floor(Math.max(in.current(), 1) * in.scaling().maxScaleUpFactor());
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
    return new Plan(desired, target, override, limited, reason, wakeAt, why.toString());
  }

  /** What happens to one agent index when the deployment moves to a new target. */
  enum StepAction { CREATE, RESUME, SUSPEND, DELETE }

  /** One step of a scale: {@code child} is null for CREATE. */
  record Step(StepAction action, int index, DeploymentChild child) {}

  /**
   * The steps that move {@code children} to {@code target}: indexes below it run (created or resumed), in index
   * order; those above are suspended under offHoursPolicy Pause, else deleted (also ones an earlier Pause left
   * suspended).
   */
  static List<Step> scaleSteps(List<DeploymentChild> children, int target, boolean pause) {
    Map<Integer, DeploymentChild> byIndex = new java.util.TreeMap<>();
    children.forEach(c -> byIndex.put(c.index(), c));
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < target; i++) {
      DeploymentChild c = byIndex.get(i);
      if (c == null) {
        steps.add(new Step(StepAction.CREATE, i, null));
      } else if (!c.active()) {
        steps.add(new Step(StepAction.RESUME, i, c));
      }
    }
    for (DeploymentChild c : byIndex.values()) {
      if (c.index() >= target && c.active() && pause) {
        steps.add(new Step(StepAction.SUSPEND, c.index(), c));
      } else if (c.index() >= target && !pause) {
        steps.add(new Step(StepAction.DELETE, c.index(), c));
      }
    }
    return steps;
  }

  /**
   * The outdated running children to update now, in index order: at most maxStep unavailable at a time, counting
   * the running children that are not ready already.
   */
  static List<DeploymentChild> rollout(List<DeploymentChild> children, int target, int maxStep) {
    long unavailable = children.stream().filter(c -> c.active() && c.index() < target && !c.ready()).count();
    int budget = (int) Math.max(0, maxStep - unavailable);
    return children.stream().filter(c -> c.active() && c.index() < target && !c.updated()).limit(budget).toList();
  }

  /** A child's new symbol shard. */
  record Reshard(DeploymentChild child, List<String> symbols) {}

  /** The running, updated children whose symbol shard differs from their share of {@code universe}, in index order. */
  static List<Reshard> reshard(List<DeploymentChild> children, int target, List<String> universe) {
    List<Reshard> changes = new ArrayList<>();
    for (DeploymentChild c : children) {
      if (c.active() && c.index() < target && c.updated()) {
        List<String> shard = Sharding.shard(universe, c.index(), target);
        if (!shard.equals(c.agent().getSpec().getSymbols())) {
          changes.add(new Reshard(c, shard));
        }
      }
    }
    return changes;
  }

  /**
   * When to look again without an event: the next schedule transition or pending step, and one step interval
   * (at least a second) after a scale or rollout to follow its progress.
   */
  static Instant nextLook(Plan plan, Instant nextTransition, boolean moved, Duration stepInterval, Instant now) {
    Instant wake = nextTransition;
    if (plan.wakeAt() != null && plan.wakeAt().isBefore(wake)) {
      wake = plan.wakeAt();
    }
    if (moved) {
      Instant check = now.plus(stepInterval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : stepInterval);
      wake = check.isBefore(wake) ? check : wake;
    }
    return wake;
  }
}
