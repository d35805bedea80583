package io.neuraltrader.e2b.deployment;

import io.neuraltrader.e2b.schedule.MarketCalendar;
import io.neuraltrader.e2b.schedule.Occurrence;
import io.neuraltrader.e2b.schedule.ScheduleEvaluator;
import io.neuraltrader.e2b.schedule.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Replica-hours a schedule runs over a period: the baseline outside windows, each window's replicas inside
 * it (pre-warm included; overlapping windows count their maximum). Pure, for the projected-vs-static cost in
 * status and for the cost benchmark.
 */
public final class CostProjection {
  private CostProjection() {}

  public static double replicaHours(List<Window> windows, MarketCalendar calendar, Duration preWarm, int baseline,
      Instant from, Instant to) {
    record Segment(Instant start, Instant end, int replicas) {}
    List<Segment> segments = new ArrayList<>();
    for (Window w : windows) {
      for (Occurrence o : ScheduleEvaluator.occurrences(w, calendar, from.minus(Duration.ofDays(2)), to)) {
        Instant start = o.opensAt().minus(preWarm);
        Instant end = o.closesAt();
        if (end.isAfter(from) && start.isBefore(to)) {
          segments.add(new Segment(start.isBefore(from) ? from : start, end.isAfter(to) ? to : end, o.replicas()));
        }
      }
    }
    List<Instant> cuts = new ArrayList<>(List.of(from, to));
    segments.forEach(s -> {
      cuts.add(s.start());
      cuts.add(s.end());
    });
    cuts.sort(null);
    double hours = 0;
    for (int i = 0; i + 1 < cuts.size(); i++) {
      Instant a = cuts.get(i);
      Instant b = cuts.get(i + 1);
      if (!b.isAfter(a)) {
        continue;
      }
      Instant mid = a.plus(Duration.between(a, b).dividedBy(2));
      int replicas = segments.stream().filter(s -> !mid.isBefore(s.start()) && mid.isBefore(s.end()))
          .mapToInt(Segment::replicas).max().orElse(baseline);
      hours += replicas * Duration.between(a, b).toMillis() / 3_600_000.0;
    }
    return hours;
  }

  /** The highest replica count the schedule ever asks for (what a static deployment would have to run). */
  public static int peak(List<Window> windows, int baseline) {
    return Math.max(baseline, windows.stream().mapToInt(Window::replicas).max().orElse(baseline));
  }
}
