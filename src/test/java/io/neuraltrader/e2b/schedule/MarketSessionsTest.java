package io.neuraltrader.e2b.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MarketSessionsTest {

  private static final MarketCalendar NYSE = MarketCalendars.byName("NYSE");

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void aroundAHoliday() {
    // Thursday 2026-07-02 15:00 EDT: open until 16:00; Friday 2026-07-03 is a holiday.
    Instant thursday = at("2026-07-02T19:00:00Z");
    assertTrue(MarketSessions.isOpen(NYSE, thursday));
    assertEquals(LocalDate.of(2026, 7, 2), MarketSessions.currentSession(NYSE, thursday).get().date());
    assertEquals(Optional.of(at("2026-07-02T20:00:00Z")), MarketSessions.nextClose(NYSE, thursday));
    assertEquals(Optional.of(at("2026-07-06T13:30:00Z")), MarketSessions.nextOpen(NYSE, thursday));

    Instant evening = at("2026-07-02T21:00:00Z");
    assertFalse(MarketSessions.isOpen(NYSE, evening));
    assertEquals(Optional.of(at("2026-07-06T13:30:00Z")), MarketSessions.nextOpen(NYSE, evening));
    assertEquals(Optional.of(at("2026-07-06T20:00:00Z")), MarketSessions.nextClose(NYSE, evening));

    assertFalse(MarketSessions.isOpen(NYSE, at("2026-07-03T16:00:00Z")));
    assertEquals(Optional.empty(), MarketSessions.currentSession(NYSE, at("2026-07-03T16:00:00Z")));
  }

  @Test
  void openIsInclusiveCloseIsExclusive() {
    assertFalse(MarketSessions.isOpen(NYSE, at("2026-07-06T13:29:59Z")));
    assertTrue(MarketSessions.isOpen(NYSE, at("2026-07-06T13:30:00Z")));
    assertTrue(MarketSessions.isOpen(NYSE, at("2026-07-06T19:59:59Z")));
    assertFalse(MarketSessions.isOpen(NYSE, at("2026-07-06T20:00:00Z")));
    // Exactly at a close the next close is the following session's.
    assertEquals(Optional.of(at("2026-07-07T20:00:00Z")),
        MarketSessions.nextClose(NYSE, at("2026-07-06T20:00:00Z")));
  }

  @Test
  void aroundAnEarlyClose() {
    // Wednesday 2026-11-25 after the close; Thursday is Thanksgiving; Friday closes at 13:00 EST.
    Instant wednesday = at("2026-11-25T22:00:00Z");
    assertEquals(Optional.of(at("2026-11-27T14:30:00Z")), MarketSessions.nextOpen(NYSE, wednesday));
    assertEquals(Optional.of(at("2026-11-27T18:00:00Z")), MarketSessions.nextClose(NYSE, wednesday));
    assertTrue(MarketSessions.isOpen(NYSE, at("2026-11-27T17:59:59Z")));
    assertTrue(MarketSessions.currentSession(NYSE, at("2026-11-27T15:00:00Z")).get().earlyClose());
    assertFalse(MarketSessions.isOpen(NYSE, at("2026-11-27T18:00:00Z")));
    assertEquals(Optional.of(at("2026-11-27T18:00:00Z")),
        MarketSessions.nextClose(NYSE, at("2026-11-27T15:00:00Z")));
    assertEquals(Optional.of(at("2026-11-30T14:30:00Z")),
        MarketSessions.nextOpen(NYSE, at("2026-11-27T18:00:00Z")));
  }

  @Test
  void weekendAcrossDst() {
    Instant saturday = at("2026-03-07T15:00:00Z");
    assertFalse(MarketSessions.isOpen(NYSE, saturday));
    assertEquals(Optional.of(at("2026-03-09T13:30:00Z")), MarketSessions.nextOpen(NYSE, saturday));
  }

  @Test
  void clockOverloadReadsTheGivenClock() {
    assertTrue(MarketSessions.isOpen(NYSE, Clock.fixed(at("2026-07-06T15:00:00Z"), ZoneOffset.UTC)));
    assertFalse(MarketSessions.isOpen(NYSE, Clock.fixed(at("2026-07-04T15:00:00Z"), ZoneOffset.UTC)));
  }

  @Test
  void calendarNoneIsAlwaysOpen() {
    MarketCalendar none = MarketCalendars.none();
    for (String t : new String[] {"2026-07-03T00:00:00Z", "2026-07-04T23:59:59Z", "2026-03-08T07:00:00Z"}) {
      assertTrue(MarketSessions.isOpen(none, at(t)), t);
      assertEquals(Optional.empty(), MarketSessions.nextOpen(none, at(t)), t);
      assertEquals(Optional.empty(), MarketSessions.nextClose(none, at(t)), t);
    }
  }
}
