package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NYSE calendar and DST through the running operator. Baseline 0 and maxScaleUpFactor 1 keep these free of
 * agents: the window's 2 replicas wait for approval, so desiredReplicas shows the schedule's decision while no
 * sandbox is ever started.
 */
class CalendarAndDstTest {
  private static final String SPEC = """
      replicas: 0
      calendar: NYSE
      preWarmMinutes: 15
      schedules:
        - {name: session, timezone: America/New_York, days: [Mon-Fri], start: "09:30", end: "16:00", replicas: 2}
      scaling: {maxStep: 2, stepIntervalSeconds: 60, maxReplicas: 4, maxScaleUpFactor: 1}
      """;
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void goodFridayIsSkippedAndTheNextTransitionIsTheNextTradingDaysPreWarm() {
    // Thursday 2026-04-02 09:30 New York (EDT): the session is on.
    h.clock().advanceTo(Instant.parse("2026-04-02T13:30:00Z"));
    h.apply(Fleet.manifest(SPEC));
    E2BDeployment thursday = Fleet.await(h, d -> Fleet.is(d.getStatus().getDesiredReplicas(), 2));
    assertEquals("session", thursday.getStatus().getActiveSchedule());
    assertEquals("2026-04-02T20:00:00Z", thursday.getStatus().getNextTransitionAt(), "16:00 EDT close");
    assertEquals("AwaitingApproval", Fleet.reason(thursday, "ScalingLimited"));

    // Good Friday 2026-04-03 09:30 New York: NYSE closed. The Thursday-close wakeup re-evaluates.
    h.clock().advanceTo(Instant.parse("2026-04-03T13:30:00Z"));
    E2BDeployment friday = Fleet.await(h, d -> Fleet.is(d.getStatus().getDesiredReplicas(), 0));
    assertEquals(null, friday.getStatus().getActiveSchedule());
    assertEquals(0, friday.getStatus().getReplicas());
    assertEquals("2026-04-06T13:15:00Z", friday.getStatus().getNextTransitionAt(),
        "Monday 09:15 EDT (pre-warm), not Friday's");
    assertEquals("AsExpected", Fleet.reason(friday, "ScalingLimited"));
    assertTrue(Fleet.agents(h).isEmpty());
  }

  @Test
  void theNextPreWarmAcrossTheSpringForwardIsAnHourEarlierInUtc() {
    // Friday 2026-03-06 16:30 EST (21:30Z); clocks go forward on Sunday 2026-03-08.
    h.clock().advanceTo(Instant.parse("2026-03-06T21:30:00Z"));
    h.apply(Fleet.manifest(SPEC));
    E2BDeployment before = Fleet.await(h, d -> d.getStatus().getNextTransitionAt() != null);
    assertEquals("2026-03-09T13:15:00Z", before.getStatus().getNextTransitionAt(), "09:15 EDT = 13:15Z, not 14:15Z");
    assertEquals(0, before.getStatus().getDesiredReplicas());

    h.clock().advanceTo(Instant.parse("2026-03-09T13:15:00Z"));
    E2BDeployment monday = Fleet.await(h, d -> Fleet.is(d.getStatus().getDesiredReplicas(), 2));
    assertEquals("session", monday.getStatus().getActiveSchedule());
    assertEquals("2026-03-09T13:30:00Z", monday.getStatus().getNextTransitionAt(), "the opening itself");
  }
}
