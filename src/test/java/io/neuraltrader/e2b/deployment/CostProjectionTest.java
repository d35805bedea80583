package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuraltrader.e2b.schedule.MarketCalendars;
import io.neuraltrader.e2b.schedule.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replica-hours of examples/market-hours-deployment.yaml's schedule against running its peak all the time. */
class CostProjectionTest {
  private static final Window SESSION =
      Window.of("us-regular-session", "America/New_York", List.of("Mon-Fri"), "09:30", "16:00", 10);
  private static final Duration PRE_WARM = Duration.ofMinutes(15);
  private static final double WEEK_HOURS = 168;

  private static double week(String mondayMidnightNewYork) {
    Instant from = Instant.parse(mondayMidnightNewYork);
    return CostProjection.replicaHours(List.of(SESSION), MarketCalendars.nyse(), PRE_WARM, 1, from,
        from.plus(Duration.ofDays(7)));
  }

  @Test
  void oneOrdinaryWeekOfTheExample() {
    // Mon 2026-03-09 .. Sun 2026-03-15 (EDT, no holiday): 5 sessions x 6.75 h x 10 + baseline 1 the rest.
    double inWindows = 5 * 6.75;
    double expected = inWindows * 10 + (WEEK_HOURS - inWindows) * 1;
    assertEquals(471.75, expected, 1e-9);
    assertEquals(expected, week("2026-03-09T04:00:00Z"), 1e-6);
    double staticHours = CostProjection.peak(List.of(SESSION), 1) * WEEK_HOURS;
    assertEquals(1680, staticHours, 1e-9);
    assertEquals(0.28, week("2026-03-09T04:00:00Z") / staticHours, 0.001, "the schedule runs 28% of static");
  }

  @Test
  void aHolidayWeekHasOneSessionLess() {
    // Good Friday 2026-04-03: NYSE closed.
    double inWindows = 4 * 6.75;
    assertEquals(inWindows * 10 + (WEEK_HOURS - inWindows), week("2026-03-30T04:00:00Z"), 1e-6);
  }

  @Test
  void anEarlyCloseShortensTheSession() {
    // Fri 2026-11-27 (after Thanksgiving): closed Thu, 13:00 close Fri -> 3 x 6.75 h + 3.75 h.
    double inWindows = 3 * 6.75 + 3.75;
    assertEquals(inWindows * 10 + (WEEK_HOURS - inWindows), week("2026-11-23T05:00:00Z"), 1e-6);
  }

  @Test
  void overlappingWindowsCountTheirMaximumNotTheirSum() {
    Window wide = Window.of("wide", "UTC", List.of("Mon-Sun"), "10:00", "14:00", 3);
    Window narrow = Window.of("narrow", "UTC", List.of("Mon-Sun"), "11:00", "12:00", 5);
    Instant from = Instant.parse("2026-03-02T00:00:00Z");
    double hours = CostProjection.replicaHours(List.of(wide, narrow), MarketCalendars.none(), Duration.ZERO, 0,
        from, from.plus(Duration.ofDays(1)));
    assertEquals(3 * 3 + 5 * 1, hours, 1e-9);
  }

  @Test
  void noWindowsIsTheBaselineAllTheTime() {
    Instant from = Instant.parse("2026-03-02T00:00:00Z");
    assertEquals(2 * WEEK_HOURS, CostProjection.replicaHours(List.of(), MarketCalendars.nyse(), PRE_WARM, 2, from,
        from.plus(Duration.ofDays(7))), 1e-9);
    assertEquals(2, CostProjection.peak(List.of(), 2));
  }
}
