package io.neuraltrader.e2b.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which schedule window is active at an instant, and when that can next change.
 *
 * <p>Occurrences are built in each window's own zone ({@link ZonedDateTime#of}: a start in a DST gap
 * moves forward, one in an overlap takes the earlier offset), then filtered by the calendar in the
 * calendar's zone: a start date that is not a trading day drops the occurrence; on an early-close day
 * the end is clamped to the early close, and an occurrence starting at or after it is dropped.
 */
public final class ScheduleEvaluator {

  /** How far ahead {@link #evaluate} looks for the next transition. */
  public static final Duration DEFAULT_HORIZON = Duration.ofDays(14);

  // A window lasts under 24h of local time, at most 25h across a DST change: occurrences that started
  // two local days before `now` cannot reach it.
  private static final int LOOK_BACK_DAYS = 2;

  private ScheduleEvaluator() {}

  public static ScheduleDecision evaluate(
      List<Window> windows, MarketCalendar calendar, Duration preWarm, Instant now) {
    return evaluate(windows, calendar, preWarm, now, DEFAULT_HORIZON);
  }

  /**
   * @param preWarm how long before an opening the occurrence already counts as active (zero for none)
   * @param horizon how far to search for the next transition; if none is found it is {@code now +
   *     horizon}, so callers re-evaluate at least that often
   */
  public static ScheduleDecision evaluate(List<Window> windows, MarketCalendar calendar,
      Duration preWarm, Instant now, Duration horizon) {
    Objects.requireNonNull(windows, "windows");
    Objects.requireNonNull(calendar, "calendar");
    Objects.requireNonNull(now, "now");
    if (preWarm == null || preWarm.isNegative()) {
      throw new IllegalArgumentException("preWarm must be zero or positive, got " + preWarm);
    }
    if (horizon == null || horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("horizon must be positive, got " + horizon);
    }
    Instant limit = now.plus(horizon);
    Occurrence best = null;
    Instant next = limit;
    for (Window window : windows) {
      for (Occurrence o : occurrences(window, calendar, now.minus(preWarm), limit.plus(preWarm))) {
        Instant warmFrom = o.opensAt().minus(preWarm);
        boolean active = !now.isBefore(warmFrom) && now.isBefore(o.closesAt());
        // Strictly greater: on a tie the window listed first keeps the win.
        if (active && (best == null || o.replicas() > best.replicas())) {
          boolean preWarming = now.isBefore(o.opensAt());
          best = new Occurrence(o.window(), o.replicas(), o.opensAt(), o.closesAt(), preWarming);
        }
        for (Instant t : new Instant[] {warmFrom, o.opensAt(), o.closesAt()}) {
          if (t.isAfter(now) && t.isBefore(next)) {
            next = t;
          }
        }
      }
    }
    boolean covered = isCovered(calendar, now) && isCovered(calendar, next)
        && (best == null || isCovered(calendar, best.opensAt()));
    return new ScheduleDecision(Optional.ofNullable(best), next, covered);
  }

  /**
   * The occurrences of {@code window} that overlap {@code [from, to)}, in start order, after the
   * calendar's filtering; {@code preWarming} is false in all of them.
   */
  public static List<Occurrence> occurrences(
      Window window, MarketCalendar calendar, Instant from, Instant to) {
    List<Occurrence> out = new ArrayList<>();
    ZoneId zone = window.zone();
    LocalDate first = from.atZone(zone).toLocalDate().minusDays(LOOK_BACK_DAYS);
    LocalDate last = to.atZone(zone).toLocalDate();
    for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
      if (!window.days().contains(date.getDayOfWeek())) {
        continue;
      }
      Optional<Occurrence> o = occurrence(window, calendar, date);
      if (o.isPresent() && o.get().closesAt().isAfter(from) && o.get().opensAt().isBefore(to)) {
        out.add(o.get());
      }
    }
    return out;
  }

  /** The occurrence of {@code window} starting on local {@code date}, unless the calendar drops it. */
  static Optional<Occurrence> occurrence(Window window, MarketCalendar calendar, LocalDate date) {
    Instant opens = ZonedDateTime.of(date, window.start(), window.zone()).toInstant();
    LocalDate endDate = window.crossesMidnight() ? date.plusDays(1) : date;
    Instant closes = ZonedDateTime.of(endDate, window.end(), window.zone()).toInstant();
    LocalDate tradingDate = opens.atZone(calendar.zone()).toLocalDate();
    if (!calendar.isTradingDay(tradingDate)) {
      return Optional.empty();
    }
    Optional<LocalTime> early = calendar.earlyClose(tradingDate);
    if (early.isPresent()) {
      Instant cut = ZonedDateTime.of(tradingDate, early.get(), calendar.zone()).toInstant();
      if (!opens.isBefore(cut)) {
        return Optional.empty();
      }
      if (closes.isAfter(cut)) {
        closes = cut;
      }
    }
    // Start shifted past the end by a spring-forward gap (02:30-03:10 on a 02:00->03:00 day): no window.
    if (!closes.isAfter(opens)) {
      return Optional.empty();
    }
    return Optional.of(new Occurrence(window.name(), window.replicas(), opens, closes, false));
  }

  private static boolean isCovered(MarketCalendar calendar, Instant instant) {
    return calendar.isCovered(instant.atZone(calendar.zone()).toLocalDate());
  }
}
