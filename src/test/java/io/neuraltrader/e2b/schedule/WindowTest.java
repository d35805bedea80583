package io.neuraltrader.e2b.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowTest {

  @Test
  void buildsFromSpecValues() {
    Window w = Window.of("market", "America/New_York", List.of("Mon-Fri"), "09:30", "16:00", 5);
    assertEquals("market", w.name());
    assertEquals(ZoneId.of("America/New_York"), w.zone());
    assertEquals(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), w.days());
    assertEquals(LocalTime.of(9, 30), w.start());
    assertEquals(LocalTime.of(16, 0), w.end());
    assertEquals(5, w.replicas());
    assertFalse(w.crossesMidnight());
  }

  @Test
  void endBeforeStartCrossesMidnight() {
    Window w = Window.of("night", "Europe/London", List.of("Fri"), "22:00", "02:00", 1);
    assertTrue(w.crossesMidnight());
    assertEquals(Set.of(DayOfWeek.FRIDAY), w.days());
  }

  @Test
  void emptyDayListMeansEveryDayAndZeroReplicasIsAllowed() {
    Window w = Window.of("quiet", "UTC", List.of(), "00:00", "06:00", 0);
    assertEquals(EnumSet.allOf(DayOfWeek.class), w.days());
    assertEquals(0, w.replicas());
  }

  @Test
  void invalidTimezone() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Window.of("market", "America/NewYork", List.of(), "09:30", "16:00", 5));
    assertEquals("window 'market': invalid timezone 'America/NewYork', expected an IANA name such as "
        + "America/New_York", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Window.of("market", "", List.of(), "09:30", "16:00", 5));
    assertTrue(e.getMessage().contains("missing timezone"), e.getMessage());
  }

  @Test
  void badTimesNameTheFieldAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Window.of("market", "UTC", List.of(), "9:30", "16:00", 5));
    assertTrue(e.getMessage().startsWith("window 'market' start: invalid time of day '9:30'"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Window.of("market", "UTC", List.of(), "09:30", "24:00", 5));
    assertTrue(e.getMessage().startsWith("window 'market' end: invalid time of day '24:00'"), e.getMessage());
  }

  @Test
  void badDays() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Window.of("market", "UTC", List.of("Monday"), "09:30", "16:00", 5));
    assertTrue(e.getMessage().startsWith("window 'market' days: invalid day 'Monday'"), e.getMessage());
  }

  @Test
  void endEqualToStartIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Window.of("market", "UTC", List.of(), "09:30", "09:30", 5));
    assertTrue(e.getMessage().startsWith("window 'market': end 09:30 equals start"), e.getMessage());
  }

  @Test
  void negativeReplicasAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Window.of("market", "UTC", List.of(), "09:30", "16:00", -1));
    assertEquals("window 'market': replicas must be >= 0, got -1", e.getMessage());
  }

  @Test
  void nameIsRequired() {
    assertThrows(IllegalArgumentException.class,
        () -> Window.of(" ", "UTC", List.of(), "09:30", "16:00", 1));
    assertThrows(IllegalArgumentException.class,
        () -> Window.of(null, "UTC", List.of(), "09:30", "16:00", 1));
  }

  @Test
  void daysAreCopiedAndUnmodifiable() {
    EnumSet<DayOfWeek> days = EnumSet.of(DayOfWeek.MONDAY);
    Window w = new Window("w", ZoneId.of("UTC"), days, LocalTime.of(1, 0), LocalTime.of(2, 0), 1);
    days.add(DayOfWeek.TUESDAY);
    assertEquals(Set.of(DayOfWeek.MONDAY), w.days());
    assertThrows(UnsupportedOperationException.class, () -> w.days().add(DayOfWeek.SUNDAY));
    assertThrows(IllegalArgumentException.class, () -> new Window(
        "w", ZoneId.of("UTC"), EnumSet.noneOf(DayOfWeek.class), LocalTime.of(1, 0), LocalTime.of(2, 0), 1));
  }
}
