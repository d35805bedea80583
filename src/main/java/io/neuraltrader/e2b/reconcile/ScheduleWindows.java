package io.neuraltrader.e2b.reconcile;

import io.neuraltrader.e2b.api.v1alpha1.ScheduleWindow;
import io.neuraltrader.e2b.schedule.Window;
import java.util.List;

/** The schedule windows of a spec as the pure schedule code takes them (invalid ones throw with a message). */
public final class ScheduleWindows {
  private ScheduleWindows() {}

  public static List<Window> of(List<ScheduleWindow> schedules) {
    if (schedules == null) {
      return List.of();
    }
    return schedules.stream().map(w -> Window.of(w.getName(), w.getTimezone(), w.getDays(), w.getStart(),
        w.getEnd(), w.getReplicas())).toList();
  }
}
