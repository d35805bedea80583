package io.neuraltrader.e2b.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The calendar file format: bad data fails loudly with the line, instead of losing a holiday. */
class TableCalendarTest {

  private static final List<String> HEADER =
      List.of("zone Europe/London", "session 08:00 16:30", "weekend Sat-Sun", "covers 2026 2026");

  private static TableCalendar parse(String... body) {
    List<String> lines = new ArrayList<>(HEADER);
    lines.addAll(List.of(body));
    return TableCalendar.parse("TEST", "test.txt", lines);
  }

  private static String error(String... body) {
    return assertThrows(IllegalArgumentException.class, () -> parse(body)).getMessage();
  }

  @Test
  void parsesAWellFormedFile() {
    TableCalendar c = parse("", "# a comment", "2026-12-25 holiday   # Christmas Day",
        "2026-12-24 early-close 12:30");
    assertFalse(c.isTradingDay(LocalDate.of(2026, 12, 25)));
    assertEquals(Optional.of("Christmas Day"), c.closureName(LocalDate.of(2026, 12, 25)));
    assertEquals(Optional.of(LocalTime.of(12, 30)), c.earlyClose(LocalDate.of(2026, 12, 24)));
    assertEquals(Optional.empty(), c.closureName(LocalDate.of(2026, 12, 24)));
    assertFalse(c.isTradingDay(LocalDate.of(2026, 12, 26)));
    assertTrue(c.isTradingDay(LocalDate.of(2026, 12, 28)));
  }

  @Test
  void rejectsBadLinesWithTheirNumber() {
    assertEquals("test.txt line 5: invalid date '2026-13-01', expected YYYY-MM-DD",
        error("2026-13-01 holiday"));
    assertEquals("test.txt line 5: 2026-12-26 is a Sat, already closed as a weekend day",
        error("2026-12-26 holiday"));
    assertEquals("test.txt line 6: 2026-12-25 is listed twice",
        error("2026-12-25 holiday", "2026-12-25 early-close 12:00"));
    assertEquals("test.txt line 5: 2027-01-04 is outside the covered years 2026-2026",
        error("2027-01-04 holiday"));
    assertEquals("test.txt line 5: unknown kind 'closed', expected 'holiday' or 'early-close HH:MM'",
        error("2026-12-25 closed"));
    assertTrue(error("2026-12-25").contains("missing kind after 2026-12-25"));
    assertTrue(error("2026-12-24 early-close").startsWith("test.txt line 5: '2026-12-24 early-close' has"));
    assertTrue(error("2026-12-24 early-close 1pm").startsWith("test.txt line 5: invalid time of day '1pm'"));
  }

  @Test
  void rejectsEarlyClosesOutsideTheSession() {
    assertTrue(error("2026-12-24 early-close 17:00").contains("is not inside the regular session"));
    assertTrue(error("2026-12-24 early-close 08:00").contains("is not inside the regular session"));
  }

  @Test
  void headerIsRequiredBeforeDates() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TableCalendar.parse("X", "x.txt", List.of("zone UTC", "2026-01-05 holiday")));
    assertEquals("x.txt line 2: dates must come after the 'covers' line", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TableCalendar.parse("X", "x.txt", List.of("zone UTC", "covers 2026 2026")));
    assertEquals("x.txt: 'zone', 'session' and 'covers' lines are required", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TableCalendar.parse("X", "x.txt", List.of("zone Mars/Olympus")));
    assertTrue(e.getMessage().startsWith("x.txt line 1: "), e.getMessage());
  }

  @Test
  void missingResourceFailsLoudly() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MarketCalendars.load("X", "calendars/does-not-exist.txt"));
    assertTrue(e.getMessage().contains("missing from the classpath"));
  }
}
