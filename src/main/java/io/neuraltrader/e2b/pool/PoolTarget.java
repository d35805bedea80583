package io.neuraltrader.e2b.pool;

import io.neuraltrader.e2b.api.v1alpha1.SandboxPoolSpec;
import io.neuraltrader.e2b.reconcile.ScheduleWindows;
import io.neuraltrader.e2b.schedule.Durations;
import io.neuraltrader.e2b.schedule.MarketCalendars;
import io.neuraltrader.e2b.schedule.ScheduleDecision;
import io.neuraltrader.e2b.schedule.ScheduleEvaluator;
import java.time.Duration;
import java.time.Instant;

/**
 * What a pool's spec asks for at one instant: the schedule decision, the desired warm count and the
 * maximum warm age. Pure.
 *
 * @param scheduled whether the spec has schedule windows (only then does the schedule have transitions)
 */
record PoolTarget(ScheduleDecision schedule, boolean scheduled, int desired, int maxSandboxes,
    Duration maxWarmAge) {

  /** @throws IllegalArgumentException when the spec's schedules or maxWarmAge cannot be understood */
  static PoolTarget of(SandboxPoolSpec spec, Instant now) {
    ScheduleDecision schedule = ScheduleEvaluator.evaluate(ScheduleWindows.of(spec.getSchedules()),
        MarketCalendars.byName(spec.getCalendar().name()), Duration.ZERO, now);
    Duration maxWarmAge = spec.getMaxWarmAge() == null ? null : Durations.parse(spec.getMaxWarmAge());
    boolean scheduled = spec.getSchedules() != null && !spec.getSchedules().isEmpty();
    return new PoolTarget(schedule, scheduled, schedule.desiredReplicas(spec.getReplicas()),
        spec.getMaxSandboxes(), maxWarmAge);
  }
}
