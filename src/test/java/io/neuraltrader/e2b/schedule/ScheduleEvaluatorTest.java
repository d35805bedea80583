package io.neuraltrader.e2b.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleEvaluatorTest {

  private static final MarketCalendar NYSE = MarketCalendars.byName("NYSE");
  private static final MarketCalendar NONE = MarketCalendars.none();
  private static final Duration PRE_WARM = Duration.ofMinutes(15);
  private static final Window MARKET =
      Window.of("market", "America/New_York", List.of("Mon-Fri"), "09:30", "16:00", 5);

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  private static ScheduleDecision noPreWarm(Window w, MarketCalendar calendar, String now) {
    return ScheduleEvaluator.evaluate(List.of(w), calendar, Duration.ZERO, at(now));
  }

  private static ScheduleDecision market(String now) {
    return ScheduleEvaluator.evaluate(List.of(MARKET), NYSE, PRE_WARM, at(now));
  }

  private static ScheduleDecision eval(List<Window> windows, Instant now) {
    return ScheduleEvaluator.evaluate(windows, NYSE, PRE_WARM, now);
  }

  private static void assertActive(ScheduleDecision d, String window, int replicas, String opens,
      String closes, boolean preWarming) {
    Occurrence o = d.active().orElseThrow(() -> new AssertionError("expected an active window: " + d));
    assertEquals(new Occurrence(window, replicas, at(opens), at(closes), preWarming), o);
  }

  @Test
  void marketDayFromPreWarmToClose() {
    // Monday 2026-06-15, EDT (UTC-4): pre-warm 09:15 = 13:15Z, open 13:30Z, close 16:00 = 20:00Z.
    ScheduleDecision before = market("2026-06-15T13:14:59Z");
    assertEquals(Optional.empty(), before.active());
    assertEquals(at("2026-06-15T13:15:00Z"), before.nextTransition());

    ScheduleDecision warming = market("2026-06-15T13:15:00Z");
    assertActive(warming, "market", 5, "2026-06-15T13:30:00Z", "2026-06-15T20:00:00Z", true);
    assertEquals(at("2026-06-15T13:30:00Z"), warming.nextTransition());

    ScheduleDecision open = market("2026-06-15T13:30:00Z");
    assertActive(open, "market", 5, "2026-06-15T13:30:00Z", "2026-06-15T20:00:00Z", false);
    assertEquals(at("2026-06-15T20:00:00Z"), open.nextTransition());

    assertActive(market("2026-06-15T19:59:59.999Z"), "market", 5,
        "2026-06-15T13:30:00Z", "2026-06-15T20:00:00Z", false);

    ScheduleDecision closed = market("2026-06-15T20:00:00Z");
    assertEquals(Optional.empty(), closed.active());
    assertEquals(at("2026-06-16T13:15:00Z"), closed.nextTransition());
    assertTrue(closed.calendarCovered());
    assertEquals(2, closed.desiredReplicas(2));
    assertEquals(5, open.desiredReplicas(2));
    assertEquals(Optional.of("market"), open.activeWindow());
  }

  @Test
  void weekendJumpsToMondayPreWarm() {
    ScheduleDecision friday = market("2026-06-12T20:00:00Z");
    assertEquals(Optional.empty(), friday.active());
    assertEquals(at("2026-06-15T13:15:00Z"), friday.nextTransition());
    assertEquals(Optional.empty(), market("2026-06-13T15:00:00Z").active());
  }

  @Test
  void springForwardKeepsLocalOpening() {
    // Friday 2026-03-06 is EST (UTC-5); DST starts Sunday 2026-03-08; Monday is EDT (UTC-4).
    assertActive(market("2026-03-06T14:30:00Z"), "market", 5,
        "2026-03-06T14:30:00Z", "2026-03-06T21:00:00Z", false);
    assertActive(market("2026-03-06T14:15:00Z"), "market", 5,
        "2026-03-06T14:30:00Z", "2026-03-06T21:00:00Z", true);
    assertEquals(Optional.empty(), market("2026-03-06T14:14:00Z").active());

    ScheduleDecision fridayClose = market("2026-03-06T21:00:00Z");
    assertEquals(Optional.empty(), fridayClose.active());
    assertEquals(at("2026-03-09T13:15:00Z"), fridayClose.nextTransition());
    assertActive(market("2026-03-09T13:30:00Z"), "market", 5,
        "2026-03-09T13:30:00Z", "2026-03-09T20:00:00Z", false);
  }

  @Test
  void fallBackKeepsLocalOpening() {
    // Friday 2026-10-30 is EDT; DST ends Sunday 2026-11-01; Monday is EST.
    assertActive(market("2026-10-30T13:30:00Z"), "market", 5,
        "2026-10-30T13:30:00Z", "2026-10-30T20:00:00Z", false);
    assertEquals(at("2026-11-02T14:15:00Z"), market("2026-10-30T20:00:00Z").nextTransition());
    assertEquals(Optional.empty(), market("2026-11-02T13:30:00Z").active());
    assertActive(market("2026-11-02T14:30:00Z"), "market", 5,
        "2026-11-02T14:30:00Z", "2026-11-02T21:00:00Z", false);
  }

  @Test
  void holidaysAreSkipped() {
    // Friday 2026-07-03, Independence Day observed.
    ScheduleDecision thursdayClose = market("2026-07-02T20:00:00Z");
    assertEquals(Optional.empty(), thursdayClose.active());
    assertEquals(at("2026-07-06T13:15:00Z"), thursdayClose.nextTransition());
    assertEquals(Optional.empty(), market("2026-07-03T13:20:00Z").active());
    assertEquals(Optional.empty(), market("2026-07-03T15:00:00Z").active());

    // Thursday 2026-11-26, Thanksgiving (EST): next is Friday's pre-warm.
    ScheduleDecision wednesdayClose = market("2026-11-25T21:00:00Z");
    assertEquals(at("2026-11-27T14:15:00Z"), wednesdayClose.nextTransition());
    assertEquals(Optional.empty(), market("2026-11-26T15:00:00Z").active());
  }

  @Test
  void calendarNoneDoesNotSkipHolidays() {
    ScheduleDecision d =
        ScheduleEvaluator.evaluate(List.of(MARKET), NONE, PRE_WARM, at("2026-07-03T15:00:00Z"));
    assertActive(d, "market", 5, "2026-07-03T13:30:00Z", "2026-07-03T20:00:00Z", false);
  }

  @Test
  void earlyCloseEndsAt13() {
    // Friday 2026-11-27 closes at 13:00 EST = 18:00Z.
    assertActive(market("2026-11-27T14:15:00Z"), "market", 5,
        "2026-11-27T14:30:00Z", "2026-11-27T18:00:00Z", true);
    ScheduleDecision late = market("2026-11-27T17:59:00Z");
    assertActive(late, "market", 5, "2026-11-27T14:30:00Z", "2026-11-27T18:00:00Z", false);
    assertEquals(at("2026-11-27T18:00:00Z"), late.nextTransition());
    ScheduleDecision closed = market("2026-11-27T18:00:00Z");
    assertEquals(Optional.empty(), closed.active());
    assertEquals(at("2026-11-30T14:15:00Z"), closed.nextTransition());
  }

  @Test
  void windowStartingAfterTheEarlyCloseIsDropped() {
    Window afternoon = Window.of("afternoon", "America/New_York", List.of("Mon-Fri"), "13:30", "16:00", 2);
    ScheduleDecision d =
        noPreWarm(afternoon, NYSE, "2026-11-27T12:00:00Z");
    assertEquals(at("2026-11-30T18:30:00Z"), d.nextTransition());
    assertEquals(Optional.empty(),
        noPreWarm(afternoon, NYSE, "2026-11-27T18:45:00Z").active());
    assertEquals(List.of(), ScheduleEvaluator.occurrences(
        afternoon, NYSE, at("2026-11-27T00:00:00Z"), at("2026-11-28T00:00:00Z")));
  }

  @Test
  void midnightCrossingWindowEndsNextDay() {
    Window night = Window.of("night", "Europe/London", List.of("Fri"), "22:00", "02:00", 3);
    // Friday 2026-01-09 22:00 GMT to Saturday 02:00 GMT.
    ScheduleDecision saturday = noPreWarm(night, NONE, "2026-01-10T01:00:00Z");
    assertActive(saturday, "night", 3, "2026-01-09T22:00:00Z", "2026-01-10T02:00:00Z", false);
    assertEquals(at("2026-01-10T02:00:00Z"), saturday.nextTransition());

    ScheduleDecision after = noPreWarm(night, NONE, "2026-01-10T02:00:00Z");
    assertEquals(Optional.empty(), after.active());
    assertEquals(at("2026-01-16T22:00:00Z"), after.nextTransition());
    // Saturday night is not a start day.
    assertEquals(Optional.empty(), noPreWarm(night, NONE, "2026-01-10T23:00:00Z").active());
    // In summer (BST, UTC+1) the same local hours are an hour earlier in UTC.
    assertActive(noPreWarm(night, NONE, "2026-06-13T00:00:00Z"),
        "night", 3, "2026-06-12T21:00:00Z", "2026-06-13T01:00:00Z", false);
  }

  @Test
  void overlappingWindowsPickTheMostReplicas() {
    Window burst = Window.of("open-burst", "America/New_York", List.of("Mon-Fri"), "09:30", "10:30", 8);
    for (List<Window> windows : List.of(List.of(MARKET, burst), List.of(burst, MARKET))) {
      ScheduleDecision early = eval(windows, at("2026-06-15T14:00:00Z"));
      assertActive(early, "open-burst", 8, "2026-06-15T13:30:00Z", "2026-06-15T14:30:00Z", false);
      assertEquals(at("2026-06-15T14:30:00Z"), early.nextTransition());
      ScheduleDecision later = eval(windows, at("2026-06-15T14:30:00Z"));
      assertActive(later, "market", 5, "2026-06-15T13:30:00Z", "2026-06-15T20:00:00Z", false);
      ScheduleDecision warming = eval(windows, at("2026-06-15T13:20:00Z"));
      assertActive(warming, "open-burst", 8, "2026-06-15T13:30:00Z", "2026-06-15T14:30:00Z", true);
    }
  }

  @Test
  void tiesGoToTheFirstListed() {
    Window twin = Window.of("twin", "America/New_York", List.of("Mon-Fri"), "09:00", "17:00", 5);
    Instant now = at("2026-06-15T15:00:00Z");
    assertEquals(Optional.of("market"),
        ScheduleEvaluator.evaluate(List.of(MARKET, twin), NYSE, PRE_WARM, now).activeWindow());
    assertEquals(Optional.of("twin"),
        ScheduleEvaluator.evaluate(List.of(twin, MARKET), NYSE, PRE_WARM, now).activeWindow());
  }

  @Test
  void tokyoWindowWithCalendarNone() {
    Window tokyo = Window.of("tokyo", "Asia/Tokyo", List.of("Mon-Fri"), "09:00", "15:00", 2);
    // Friday 2026-07-03 (an NYSE holiday, irrelevant here): 09:00-15:00 JST = 00:00-06:00Z.
    ScheduleDecision d = noPreWarm(tokyo, NONE, "2026-07-03T00:30:00Z");
    assertActive(d, "tokyo", 2, "2026-07-03T00:00:00Z", "2026-07-03T06:00:00Z", false);
    assertEquals(at("2026-07-03T06:00:00Z"), d.nextTransition());
    ScheduleDecision after = noPreWarm(tokyo, NONE, "2026-07-03T06:00:00Z");
    assertEquals(Optional.empty(), after.active());
    assertEquals(at("2026-07-06T00:00:00Z"), after.nextTransition());
  }

  @Test
  void calendarDateIsTakenInTheCalendarZone() {
    Window tokyo = Window.of("tokyo", "Asia/Tokyo", List.of("Mon-Fri"), "09:00", "15:00", 2);
    // Monday 09:00 JST is Sunday 20:00 in New York: not an NYSE trading day, so NYSE drops it.
    Instant mondayTokyo = at("2026-06-15T00:30:00Z");
    assertTrue(
        ScheduleEvaluator.evaluate(List.of(tokyo), NONE, Duration.ZERO, mondayTokyo).active().isPresent());
    ScheduleDecision d = ScheduleEvaluator.evaluate(List.of(tokyo), NYSE, Duration.ZERO, mondayTokyo);
    assertEquals(Optional.empty(), d.active());
    assertEquals(at("2026-06-16T00:00:00Z"), d.nextTransition());
  }

  @Test
  void dstGapShiftsStartForwardAndOverlapTakesEarlierOffset() {
    Window gap = Window.of("gap", "America/New_York", List.of("Sun"), "02:30", "04:00", 1);
    // 2026-03-08 02:30 does not exist: it starts at 03:30 EDT.
    assertActive(noPreWarm(gap, NONE, "2026-03-08T07:45:00Z"),
        "gap", 1, "2026-03-08T07:30:00Z", "2026-03-08T08:00:00Z", false);
    Window overlap = Window.of("overlap", "America/New_York", List.of("Sun"), "01:30", "03:00", 1);
    // 2026-11-01 01:30 happens twice: the first (EDT) counts; 03:00 is EST.
    assertActive(noPreWarm(overlap, NONE, "2026-11-01T06:00:00Z"),
        "overlap", 1, "2026-11-01T05:30:00Z", "2026-11-01T08:00:00Z", false);
  }

  @Test
  void windowInsideTheDstGapShiftsWhole() {
    // Both ends of 02:10-02:50 fall in the 2026-03-08 gap and move forward an hour, to 03:10-03:50 EDT.
    Window inGap = Window.of("in-gap", "America/New_York", List.of(), "02:10", "02:50", 1);
    ScheduleDecision d = noPreWarm(inGap, NONE, "2026-03-08T00:00:00Z");
    assertEquals(Optional.empty(), d.active());
    assertEquals(at("2026-03-08T07:10:00Z"), d.nextTransition());
  }

  @Test
  void windowWhoseStartIsPushedPastItsEndDoesNotHappenThatDay() {
    // 02:30 moves to 03:30 EDT, after the 03:10 end: no occurrence on 2026-03-08; Monday's is 06:30Z.
    Window lost = Window.of("lost", "America/New_York", List.of(), "02:30", "03:10", 1);
    ScheduleDecision d = noPreWarm(lost, NONE, "2026-03-08T00:00:00Z");
    assertEquals(Optional.empty(), d.active());
    assertEquals(at("2026-03-09T06:30:00Z"), d.nextTransition());
    assertEquals(List.of(), ScheduleEvaluator.occurrences(
        lost, NONE, at("2026-03-08T05:00:00Z"), at("2026-03-08T12:00:00Z")));
  }

  @Test
  void nothingWithinTheHorizonReturnsNowPlusHorizon() {
    Instant now = at("2026-06-15T12:00:00Z");
    ScheduleDecision empty = ScheduleEvaluator.evaluate(List.of(), NYSE, PRE_WARM, now);
    assertEquals(Optional.empty(), empty.active());
    assertEquals(now.plus(ScheduleEvaluator.DEFAULT_HORIZON), empty.nextTransition());
    Window weekend = Window.of("weekend", "America/New_York", List.of("Sat-Sun"), "10:00", "12:00", 1);
    assertEquals(now.plus(Duration.ofDays(14)),
        ScheduleEvaluator.evaluate(List.of(weekend), NYSE, PRE_WARM, now).nextTransition());
    assertEquals(now.plus(Duration.ofHours(1)), ScheduleEvaluator.evaluate(
        List.of(MARKET), NYSE, PRE_WARM, now, Duration.ofHours(1)).nextTransition());
  }

  @Test
  void decisionsBeyondTheCalendarDataAreFlagged() {
    assertTrue(market("2028-12-28T15:00:00Z").calendarCovered());
    ScheduleDecision uncovered = market("2029-03-05T15:00:00Z");
    assertFalse(uncovered.calendarCovered());
    // Still evaluated by the weekday rule, so the deployment keeps running rather than guessing closed.
    assertTrue(uncovered.active().isPresent());
    // Friday 2028-12-29 16:00 EST: the next opening is in 2029, outside the data.
    assertFalse(market("2028-12-29T21:00:00Z").calendarCovered());
    assertTrue(ScheduleEvaluator.evaluate(List.of(MARKET), NONE, PRE_WARM, at("2035-01-01T00:00:00Z"))
        .calendarCovered());
  }

  @Test
  void rejectsBadArguments() {
    Instant now = at("2026-06-15T12:00:00Z");
    assertThrows(IllegalArgumentException.class,
        () -> ScheduleEvaluator.evaluate(List.of(MARKET), NYSE, Duration.ofMinutes(-1), now));
    assertThrows(IllegalArgumentException.class,
        () -> ScheduleEvaluator.evaluate(List.of(MARKET), NYSE, PRE_WARM, now, Duration.ZERO));
    assertThrows(NullPointerException.class,
        () -> ScheduleEvaluator.evaluate(List.of(MARKET), NYSE, PRE_WARM, null));
  }
}
