package io.neuraltrader.e2b.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarketCalendarsTest {

  private static final MarketCalendar NYSE = MarketCalendars.byName("NYSE");

  // The published NYSE full closures, 2025-2028.
  private static final List<String> HOLIDAYS = List.of(
      "2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26",
      "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25",
      "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
      "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25",
      "2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18",
      "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24",
      "2028-01-17", "2028-02-21", "2028-04-14", "2028-05-29", "2028-06-19", "2028-07-04",
      "2028-09-04", "2028-11-23", "2028-12-25");

  private static final List<String> EARLY_CLOSES = List.of(
      "2025-07-03", "2025-11-28", "2025-12-24", "2026-11-27", "2026-12-24", "2027-11-26",
      "2028-07-03", "2028-11-24");

  @Test
  void lookupIgnoresCase() {
    assertSame(NYSE, MarketCalendars.byName("nyse"));
    assertSame(NYSE, MarketCalendars.byName("Nyse"));
    assertSame(MarketCalendars.none(), MarketCalendars.byName("NONE"));
    assertEquals("NYSE", NYSE.name());
    assertEquals("none", MarketCalendars.byName("None").name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"LSE", "", " NYSE", "nyse2"})
  void unknownNamesListTheKnownOnes(String name) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MarketCalendars.byName(name));
    assertEquals("unknown market calendar '" + name + "', known calendars: NYSE, none", e.getMessage());
  }

  @Test
  void nullNameIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MarketCalendars.byName(null));
    assertTrue(e.getMessage().contains("known calendars: NYSE, none"), e.getMessage());
  }

  @Test
  void nyseSessionAndZone() {
    assertEquals(ZoneId.of("America/New_York"), NYSE.zone());
    assertEquals(LocalTime.of(9, 30), NYSE.regularOpen());
    assertEquals(LocalTime.of(16, 0), NYSE.regularClose());
    assertEquals(new YearRange(2025, 2028), NYSE.coveredYears());
  }

  @Test
  void everyListedHolidayIsClosed() {
    for (String d : HOLIDAYS) {
      LocalDate date = LocalDate.parse(d);
      assertFalse(NYSE.isTradingDay(date), d + " must be a full closure");
      assertTrue(NYSE.session(date).isEmpty(), d);
      assertTrue(NYSE.closureName(date).isPresent(), d + " should carry its name");
    }
  }

  @Test
  void theDataHoldsExactlyTheListedDates() {
    TableCalendar table = (TableCalendar) NYSE;
    assertEquals(dates(HOLIDAYS), new TreeSet<>(table.holidays().keySet()));
    assertEquals(dates(EARLY_CLOSES), new TreeSet<>(table.earlyCloses().keySet()));
  }

  @Test
  void everyListedEarlyCloseIsATradingDayEndingAt13() {
    ZoneId ny = ZoneId.of("America/New_York");
    for (String d : EARLY_CLOSES) {
      LocalDate date = LocalDate.parse(d);
      assertTrue(NYSE.isTradingDay(date), d);
      assertEquals(Optional.of(LocalTime.of(13, 0)), NYSE.earlyClose(date), d);
      Session s = NYSE.session(date).orElseThrow();
      assertTrue(s.earlyClose());
      assertEquals(date.atTime(13, 0).atZone(ny).toInstant(), s.closesAt(), d);
      assertEquals(date.atTime(9, 30).atZone(ny).toInstant(), s.opensAt(), d);
    }
  }

  @Test
  void namesComeFromTheDataFile() {
    assertEquals(Optional.of("Thanksgiving Day"), NYSE.closureName(LocalDate.of(2026, 11, 26)));
    assertEquals(Optional.of("National Day of Mourning for former President Jimmy Carter"),
        NYSE.closureName(LocalDate.of(2025, 1, 9)));
    assertEquals(Optional.of("Day after Thanksgiving"), NYSE.closureName(LocalDate.of(2026, 11, 27)));
    assertEquals(Optional.empty(), NYSE.closureName(LocalDate.of(2026, 11, 30)));
  }

  @Test
  void weekendsAreClosedAndOrdinaryWeekdaysOpen() {
    assertFalse(NYSE.isTradingDay(LocalDate.of(2026, 3, 7)));  // Saturday
    assertFalse(NYSE.isTradingDay(LocalDate.of(2026, 3, 8)));  // Sunday
    assertTrue(NYSE.isTradingDay(LocalDate.of(2026, 3, 9)));   // Monday
    assertEquals(Optional.empty(), NYSE.earlyClose(LocalDate.of(2026, 3, 9)));
    int tradingDays2026 = 0;
    for (LocalDate d = LocalDate.of(2026, 1, 1); d.getYear() == 2026; d = d.plusDays(1)) {
      boolean weekend = d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
      if (weekend) {
        assertFalse(NYSE.isTradingDay(d), d.toString());
      }
      tradingDays2026 += NYSE.isTradingDay(d) ? 1 : 0;
    }
    // 261 weekdays in 2026 minus 10 weekday holidays.
    assertEquals(251, tradingDays2026);
  }

  @Test
  void newYear2028IsNotObserved() {
    LocalDate jan1 = LocalDate.of(2028, 1, 1);
    assertEquals(DayOfWeek.SATURDAY, jan1.getDayOfWeek());
    assertFalse(NYSE.isTradingDay(jan1));
    assertEquals(Optional.empty(), NYSE.closureName(jan1));
    LocalDate dec31 = LocalDate.of(2027, 12, 31);
    assertTrue(NYSE.isTradingDay(dec31), "Friday 2027-12-31 is a full session");
    assertEquals(Optional.empty(), NYSE.earlyClose(dec31));
    assertTrue(NYSE.isTradingDay(LocalDate.of(2028, 1, 3)));
  }

  @Test
  void datesOutsideTheDataAreFlaggedNotSilentlyHolidayFree() {
    assertTrue(NYSE.isCovered(LocalDate.of(2025, 1, 1)));
    assertTrue(NYSE.isCovered(LocalDate.of(2028, 12, 31)));
    assertFalse(NYSE.isCovered(LocalDate.of(2024, 12, 31)));
    assertFalse(NYSE.isCovered(LocalDate.of(2029, 1, 1)));
    assertEquals("2025-2028", NYSE.coveredYears().toString());
  }

  @Test
  void noneTradesEveryDayAllDayInUtc() {
    MarketCalendar none = MarketCalendars.none();
    assertEquals(ZoneOffset.UTC, none.zone());
    assertEquals(LocalTime.MIDNIGHT, none.regularOpen());
    assertEquals(LocalTime.MIDNIGHT, none.regularClose());
    assertEquals(YearRange.ALL, none.coveredYears());
    for (String d : Stream.concat(HOLIDAYS.stream(), Stream.of("2026-03-07", "2099-01-01")).toList()) {
      LocalDate date = LocalDate.parse(d);
      assertTrue(none.isTradingDay(date), d);
      assertEquals(Optional.empty(), none.earlyClose(date), d);
      assertTrue(none.isCovered(date));
    }
    Session s = none.session(LocalDate.of(2026, 7, 3)).orElseThrow();
    assertEquals(Instant.parse("2026-07-03T00:00:00Z"), s.opensAt());
    assertEquals(Instant.parse("2026-07-04T00:00:00Z"), s.closesAt());
  }

  @Test
  void sessionsFollowDst() {
    Session friday = NYSE.session(LocalDate.of(2026, 3, 6)).orElseThrow();
    Session monday = NYSE.session(LocalDate.of(2026, 3, 9)).orElseThrow();
    assertEquals(Instant.parse("2026-03-06T14:30:00Z"), friday.opensAt());
    assertEquals(Instant.parse("2026-03-09T13:30:00Z"), monday.opensAt());
  }

  private static Set<LocalDate> dates(List<String> isoDates) {
    return isoDates.stream().map(LocalDate::parse).collect(Collectors.toCollection(TreeSet::new));
  }
}
