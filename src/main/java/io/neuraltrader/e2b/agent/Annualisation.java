package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.MarketHoursSpec;
import io.neuraltrader.e2b.schedule.Durations;
import io.neuraltrader.e2b.schedule.MarketCalendar;
import io.neuraltrader.e2b.schedule.MarketCalendars;
import io.neuraltrader.e2b.schedule.Session;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many ticks an agent has in a year, which scales its per-tick Sharpe ratio to an annual one: each session
 * of the agent's market calendar holds session length / interval ticks (at least one: a daily agent ticks once
 * per trading day); without market hours the agent ticks around the clock, every day of the year.
 */
public final class Annualisation {
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
  private static final Map<String, Double> CACHE = new ConcurrentHashMap<>();

  private Annualisation() {}

  /** Ticks per year for the spec's interval and market hours, in the calendar year of {@code now}. */
  public static double ticksPerYear(String interval, MarketHoursSpec marketHours, Instant now) {
    Duration every = Durations.parseOrDefault(interval, DEFAULT_INTERVAL);
    if (every.isZero() || every.isNegative()) {
      every = DEFAULT_INTERVAL;
    }
    MarketCalendar calendar = marketHours == null || marketHours.getCalendar() == null
        ? MarketCalendars.none() : MarketCalendars.byName(marketHours.getCalendar().name());
    int year = now.atZone(calendar.zone()).getYear();
    Duration step = every;
    return CACHE.computeIfAbsent(calendar.name() + "/" + year + "/" + every.toMillis(),
        k -> compute(calendar, year, step));
  }

  static double compute(MarketCalendar calendar, int year, Duration interval) {
    double seconds = interval.toMillis() / 1000.0;
    if (MarketCalendars.NONE.equals(calendar.name())) {
      LocalDate first = LocalDate.of(year, 1, 1);
      double yearSeconds = Duration.between(first.atStartOfDay(ZoneOffset.UTC),
          first.plusYears(1).atStartOfDay(ZoneOffset.UTC)).toSeconds();
      return yearSeconds / seconds;
    }
    double ticks = 0;
    for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
      Session session = calendar.session(d).orElse(null);
      if (session != null) {
        double open = Duration.between(session.opensAt(), session.closesAt()).toMillis() / 1000.0;
        ticks += Math.max(1.0, open / seconds);
      }
    }
    return ticks;
  }
}
