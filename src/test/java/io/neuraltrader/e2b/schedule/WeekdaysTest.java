package io.neuraltrader.e2b.schedule;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeekdaysTest {

  private static final Pattern SCHEMA = Pattern.compile(Weekdays.PATTERN);

  @Test
  void singleDays() {
    assertEquals(EnumSet.of(MONDAY), Weekdays.parse(List.of("Mon")));
    assertEquals(EnumSet.of(SUNDAY), Weekdays.parse(List.of("Sun")));
    assertEquals(EnumSet.of(TUESDAY, THURSDAY), Weekdays.parse(List.of("Tue", "Thu")));
  }

  @Test
  void ranges() {
    assertEquals(EnumSet.range(MONDAY, FRIDAY), Weekdays.parse(List.of("Mon-Fri")));
    assertEquals(EnumSet.of(SATURDAY, SUNDAY), Weekdays.parse(List.of("Sat-Sun")));
    assertEquals(EnumSet.of(WEDNESDAY, THURSDAY), Weekdays.parse(List.of("Wed-Thu")));
    assertEquals(EnumSet.of(MONDAY), Weekdays.parse(List.of("Mon-Mon")));
  }

  @Test
  void rangesWrapTheWeek() {
    assertEquals(EnumSet.of(FRIDAY, SATURDAY, SUNDAY, MONDAY), Weekdays.parse(List.of("Fri-Mon")));
    assertEquals(EnumSet.of(SUNDAY, MONDAY), Weekdays.parse(List.of("Sun-Mon")));
    assertEquals(EnumSet.complementOf(EnumSet.of(WEDNESDAY)), Weekdays.parse(List.of("Thu-Tue")));
  }

  @Test
  void entriesUnite() {
    assertEquals(EnumSet.of(MONDAY, TUESDAY, WEDNESDAY, SATURDAY),
        Weekdays.parse(List.of("Mon-Wed", "Sat", "Tue")));
  }

  @Test
  void emptyOrAbsentMeansEveryDay() {
    assertEquals(EnumSet.allOf(DayOfWeek.class), Weekdays.parse(List.of()));
    assertEquals(EnumSet.allOf(DayOfWeek.class), Weekdays.parse(null));
  }

  @Test
  void resultIsUnmodifiable() {
    assertThrows(UnsupportedOperationException.class, () -> Weekdays.parse(List.of("Mon")).add(SUNDAY));
  }

  @Test
  void namesRoundTrip() {
    for (DayOfWeek d : DayOfWeek.values()) {
      assertEquals(EnumSet.of(d), Weekdays.parseEntry(Weekdays.name(d)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "mon", "MON", "Monday", "Mo", "M", "", " Mon", "Mon ", "Mon-", "-Fri", "Mon - Fri", "Mon,Tue",
    "Mon-Fri-Sat", "Mon..Fri", "Foo"
  })
  void rejectsAnythingElse(String entry) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Weekdays.parse(List.of("Tue", entry)));
    assertTrue(e.getMessage().startsWith("invalid day '" + entry + "': expected one of Mon Tue Wed"),
        e.getMessage());
    assertFalse(SCHEMA.matcher(entry).matches());
  }

  @Test
  void schemaPatternAcceptsEveryDayAndRange() {
    for (DayOfWeek a : DayOfWeek.values()) {
      assertTrue(SCHEMA.matcher(Weekdays.name(a)).matches());
      for (DayOfWeek b : DayOfWeek.values()) {
        String range = Weekdays.name(a) + "-" + Weekdays.name(b);
        assertTrue(SCHEMA.matcher(range).matches(), range);
        assertTrue(Weekdays.parseEntry(range).contains(a) && Weekdays.parseEntry(range).contains(b));
      }
    }
  }
}
