package io.neuraltrader.e2b.schedule;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A recurring schedule window: on each of {@code days} (the day an occurrence starts, in {@code zone}) it
 * runs from {@code start} to {@code end} local time with {@code replicas}. An end at or before the start
 * means the window crosses midnight and ends on the next day; an end equal to the start is rejected
 * because it is ambiguous (empty or 24 hours).
 */
public record Window(
    String name, ZoneId zone, Set<DayOfWeek> days, LocalTime start, LocalTime end, int replicas) {

  public Window {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a schedule window needs a name");
    }
    Objects.requireNonNull(zone, () -> "window '" + name + "': zone");
    Objects.requireNonNull(days, () -> "window '" + name + "': days");
    Objects.requireNonNull(start, () -> "window '" + name + "': start");
    Objects.requireNonNull(end, () -> "window '" + name + "': end");
    if (days.isEmpty()) {
      throw new IllegalArgumentException("window '" + name + "': no days (an empty day list in the spec "
          + "means every day; here the resolved set must not be empty)");
    }
    if (end.equals(start)) {
      throw new IllegalArgumentException("window '" + name + "': end " + TimesOfDay.format(end)
          + " equals start; use different times (an end before the start crosses midnight)");
    }
    if (replicas < 0) {
      throw new IllegalArgumentException("window '" + name + "': replicas must be >= 0, got " + replicas);
    }
    days = Collections.unmodifiableSet(EnumSet.copyOf(days));
  }

  /**
   * Builds a window from spec values, e.g. {@code Window.of("market", "America/New_York",
   * List.of("Mon-Fri"), "09:30", "16:00", 5)}; every problem is reported with the window's name.
   */
  public static Window of(
      String name, String timezone, List<String> days, String start, String end, int replicas) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a schedule window needs a name");
    }
    return new Window(name, zone(name, timezone), field(name, "days", () -> Weekdays.parse(days)),
        field(name, "start", () -> TimesOfDay.parse(start)),
        field(name, "end", () -> TimesOfDay.parse(end)), replicas);
  }

  /** True when an occurrence ends on the day after it starts. */
  public boolean crossesMidnight() {
    return !end.isAfter(start);
  }

  private static ZoneId zone(String name, String timezone) {
    if (timezone == null || timezone.isBlank()) {
      throw new IllegalArgumentException(
          "window '" + name + "': missing timezone, expected an IANA name such as America/New_York");
    }
    try {
      return ZoneId.of(timezone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("window '" + name + "': invalid timezone '" + timezone
          + "', expected an IANA name such as America/New_York", e);
    }
  }

  private static <T> T field(String name, String field, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("window '" + name + "' " + field + ": " + e.getMessage(), e);
    }
  }
}
