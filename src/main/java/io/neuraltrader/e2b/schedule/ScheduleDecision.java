package io.neuraltrader.e2b.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the schedule says at one instant.
 *
 * @param active the winning occurrence, if any window is active (or pre-warming)
 * @param nextTransition the next instant at which this decision can change; re-evaluate then
 * @param calendarCovered false when the decision relied on a date outside the calendar's covered
 *     years, where holidays are unknown (surface it to the user; do not trust it silently)
 */
public record ScheduleDecision(
    Optional<Occurrence> active, Instant nextTransition, boolean calendarCovered) {

  public ScheduleDecision {
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(nextTransition, "nextTransition");
  }

  /** The active window's replicas, else {@code baseline} (the spec's replicas outside windows). */
  public int desiredReplicas(int baseline) {
    return active.map(Occurrence::replicas).orElse(baseline);
  }

  /** The active window's name, or empty (for {@code status.activeSchedule}). */
  public Optional<String> activeWindow() {
    return active.map(Occurrence::window);
  }
}
