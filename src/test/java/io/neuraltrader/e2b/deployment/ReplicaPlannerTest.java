package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.schedule.MarketCalendars;
import io.neuraltrader.e2b.schedule.Occurrence;
import io.neuraltrader.e2b.schedule.ScheduleDecision;
import io.neuraltrader.e2b.schedule.ScheduleEvaluator;
import io.neuraltrader.e2b.schedule.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every rule of the replica planner, without a server. */
class ReplicaPlannerTest {
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  private static final Instant CLOSE = Instant.parse("2026-03-02T21:00:00Z");
  private static final ReplicaPlanner.Scaling WIDE = new ReplicaPlanner.Scaling(100, Duration.ofSeconds(30), 100, 100);

  private static ScheduleDecision inWindow(int replicas) {
    return new ScheduleDecision(Optional.of(new Occurrence("session", replicas,
        Instant.parse("2026-03-02T14:30:00Z"), CLOSE, false)), CLOSE, true);
  }

  private static ScheduleDecision outside() {
    return new ScheduleDecision(Optional.empty(), Instant.parse("2026-03-03T14:15:00Z"), true);
  }

  /** Steady state: current replicas all ready, last step long ago, no override, no approval. */
  private static ReplicaPlanner.Input in(int spec, Integer lastSeen, ReplicaPlanner.Override override,
      ScheduleDecision schedule, ReplicaPlanner.Scaling scaling, int current) {
    return new ReplicaPlanner.Input(spec, lastSeen, override, schedule, scaling, current, current,
        NOW.minus(Duration.ofHours(1)), null, NOW);
  }

  @Test
  void desiredIsTheActiveWindowElseSpecReplicas() {
    assertEquals(4, ReplicaPlanner.plan(in(1, 1, null, inWindow(4), WIDE, 1)).desired());
    assertEquals(1, ReplicaPlanner.plan(in(1, 1, null, outside(), WIDE, 4)).desired());
    assertEquals(0, ReplicaPlanner.plan(in(0, 0, null, outside(), WIDE, 0)).desired());
  }

  @Test
  void preWarmCountsAsTheWindowThroughTheScheduleEvaluator() {
    Window session = Window.of("session", "America/New_York", List.of("Mon-Fri"), "09:30", "16:00", 4);
    ScheduleDecision at0914 = ScheduleEvaluator.evaluate(List.of(session), MarketCalendars.nyse(),
        Duration.ofMinutes(15), Instant.parse("2026-03-02T14:14:59Z"));
    ScheduleDecision at0915 = ScheduleEvaluator.evaluate(List.of(session), MarketCalendars.nyse(),
        Duration.ofMinutes(15), Instant.parse("2026-03-02T14:15:00Z"));
    assertEquals(1, ReplicaPlanner.plan(in(1, 1, null, at0914, WIDE, 1)).desired());
    assertEquals(4, ReplicaPlanner.plan(in(1, 1, null, at0915, WIDE, 1)).desired());
  }

  @Test
  void aSpecChangeDuringAWindowIsAnOverrideUntilTheWindowCloses() {
    ReplicaPlanner.Plan p = ReplicaPlanner.plan(in(3, 1, null, inWindow(4), WIDE, 4));
    assertEquals(new ReplicaPlanner.Override(3, "session", CLOSE), p.override());
    assertEquals(3, p.desired());
    assertEquals(3, p.target(), "takes effect at once");
  }

  @Test
  void anOverrideHoldsOnLaterReconcilesOfTheSameWindow() {
    ReplicaPlanner.Override held = new ReplicaPlanner.Override(3, "session", CLOSE);
    ReplicaPlanner.Plan p = ReplicaPlanner.plan(in(3, 3, held, inWindow(4), WIDE, 3));
    assertEquals(held, p.override());
    assertEquals(3, p.desired());
  }

  @Test
  void anOverrideExpiresAtTheCloseAndTheScheduleResumes() {
    ReplicaPlanner.Override held = new ReplicaPlanner.Override(3, "session", CLOSE);
    ReplicaPlanner.Input justBefore = new ReplicaPlanner.Input(3, 3, held, inWindow(4), WIDE, 3, 3, null, null,
        CLOSE.minusMillis(1));
    assertEquals(held, ReplicaPlanner.plan(justBefore).override());
    ReplicaPlanner.Input atClose = new ReplicaPlanner.Input(3, 3, held, outside(), WIDE, 3, 3, null, null, CLOSE);
    ReplicaPlanner.Plan p = ReplicaPlanner.plan(atClose);
    assertNull(p.override());
    assertEquals(3, p.desired(), "outside windows spec.replicas (what kubectl scale left) is the baseline");
    // The next window's replicas apply again: the override did not outlive its window.
    ReplicaPlanner.Input nextWindow = new ReplicaPlanner.Input(3, 3, held, inWindow(5), WIDE, 3, 3, null, null,
        CLOSE.plus(Duration.ofHours(18)));
    assertNull(ReplicaPlanner.plan(nextWindow).override());
    assertEquals(5, ReplicaPlanner.plan(nextWindow).desired());
  }

  @Test
  void aSpecChangeOutsideAWindowIsTheNewBaselineNotAnOverride() {
    ReplicaPlanner.Plan p = ReplicaPlanner.plan(in(2, 1, null, outside(), WIDE, 1));
    assertNull(p.override());
    assertEquals(2, p.desired());
  }

  @Test
  void aSecondScaleDuringTheWindowReplacesTheOverride() {
    ReplicaPlanner.Override held = new ReplicaPlanner.Override(3, "session", CLOSE);
    ReplicaPlanner.Plan p = ReplicaPlanner.plan(in(6, 3, held, inWindow(4), WIDE, 3));
    assertEquals(new ReplicaPlanner.Override(6, "session", CLOSE), p.override());
    assertEquals(6, p.desired());
  }

  @Test
  void theFirstReconcileIsNoOverride() {
    assertNull(ReplicaPlanner.plan(in(3, null, null, inWindow(4), WIDE, 0)).override());
  }

  @Test
  void desiredIsCappedAtMaxReplicas() {
    ReplicaPlanner.Scaling cap = new ReplicaPlanner.Scaling(100, Duration.ofSeconds(30), 5, 100);
    ReplicaPlanner.Plan p = ReplicaPlanner.plan(in(1, 1, null, inWindow(8), cap, 5));
    assertEquals(5, p.desired());
    assertEquals(5, p.target());
    assertEquals("MaxReplicas", p.limitReason());
    assertTrue(p.limited().contains("8") && p.limited().contains("maxReplicas 5"), p.limited());
    // An override is capped too.
    ReplicaPlanner.Plan o = ReplicaPlanner.plan(in(9, 4, null, inWindow(4), cap, 4));
    assertEquals(5, o.desired());
    assertEquals("MaxReplicas", o.limitReason());
  }

  @Test
  void aJumpBeyondTheFactorHoldsAtCurrentUntilApproved() {
    ReplicaPlanner.Scaling x2 = new ReplicaPlanner.Scaling(100, Duration.ofSeconds(30), 100, 2);
    ReplicaPlanner.Plan p = ReplicaPlanner.plan(in(2, 2, null, inWindow(5), x2, 2));
    assertEquals(5, p.desired());
    assertEquals(2, p.target(), "no partial step: it would raise the base and let the rest through");
    assertEquals("AwaitingApproval", p.limitReason());
    assertTrue(p.limited().contains("e2b.neuraltrader.io/approve-scale=5"), p.limited());

    ReplicaPlanner.Input wrong = new ReplicaPlanner.Input(2, 2, null, inWindow(5), x2, 2, 2, null, "6", NOW);
    assertEquals(2, ReplicaPlanner.plan(wrong).target(), "an approval for another number does not count");
    ReplicaPlanner.Input approved = new ReplicaPlanner.Input(2, 2, null, inWindow(5), x2, 2, 2, null, "5", NOW);
    ReplicaPlanner.Plan ok = ReplicaPlanner.plan(approved);
    assertEquals(5, ok.target());
    assertNull(ok.limitReason());
  }

  @Test
  void approvalArithmeticIsFloorOfFactorTimesCurrentWithZeroCountingAsOne() {
    ReplicaPlanner.Scaling x25 = new ReplicaPlanner.Scaling(100, Duration.ofSeconds(30), 100, 2.5);
    // floor(3 x 2.5) = 7: 7 passes, 8 waits.
    assertNull(ReplicaPlanner.plan(in(1, 1, null, inWindow(7), x25, 3)).limitReason());
    assertEquals(7, ReplicaPlanner.plan(in(1, 1, null, inWindow(7), x25, 3)).target());
    assertEquals("AwaitingApproval", ReplicaPlanner.plan(in(1, 1, null, inWindow(8), x25, 3)).limitReason());
    // From zero the base is one: floor(1 x 2.5) = 2.
    assertNull(ReplicaPlanner.plan(in(0, 0, null, inWindow(2), x25, 0)).limitReason());
    assertEquals("AwaitingApproval", ReplicaPlanner.plan(in(0, 0, null, inWindow(3), x25, 0)).limitReason());
    // Scaling down never needs approval.
    assertNull(ReplicaPlanner.plan(in(1, 1, null, outside(), x25, 8)).limitReason());
  }

  @Test
  void stepsAreAtMostMaxStep() {
    ReplicaPlanner.Scaling step2 = new ReplicaPlanner.Scaling(2, Duration.ofSeconds(30), 100, 100);
    ReplicaPlanner.Plan up = ReplicaPlanner.plan(in(1, 1, null, inWindow(6), step2, 1));
    assertEquals(3, up.target());
    assertEquals(NOW.plusSeconds(30), up.wakeAt(), "the next step is due one interval later");
    ReplicaPlanner.Plan down = ReplicaPlanner.plan(in(1, 1, null, outside(), step2, 6));
    assertEquals(4, down.target());
    ReplicaPlanner.Plan last = ReplicaPlanner.plan(in(1, 1, null, inWindow(6), step2, 5));
    assertEquals(6, last.target());
    assertNull(last.wakeAt(), "no further step pending");
  }

  @Test
  void aStepWaitsForTheInterval() {
    ReplicaPlanner.Scaling step2 = new ReplicaPlanner.Scaling(2, Duration.ofSeconds(30), 100, 100);
    Instant lastScale = NOW.minusSeconds(10);
    ReplicaPlanner.Plan early = ReplicaPlanner.plan(new ReplicaPlanner.Input(1, 1, null, inWindow(6), step2, 3, 3,
        lastScale, null, NOW));
    assertEquals(3, early.target());
    assertEquals(lastScale.plusSeconds(30), early.wakeAt());
    ReplicaPlanner.Plan due = ReplicaPlanner.plan(new ReplicaPlanner.Input(1, 1, null, inWindow(6), step2, 3, 3,
        lastScale, null, lastScale.plusSeconds(30)));
    assertEquals(5, due.target());
  }

  @Test
  void aScaleUpStepWaitsForThePreviousStepToBeReadyButAScaleDownDoesNot() {
    ReplicaPlanner.Scaling step2 = new ReplicaPlanner.Scaling(2, Duration.ofSeconds(30), 100, 100);
    ReplicaPlanner.Plan notReady = ReplicaPlanner.plan(new ReplicaPlanner.Input(1, 1, null, inWindow(6), step2, 3, 2,
        NOW.minusSeconds(60), null, NOW));
    assertEquals(3, notReady.target());
    assertNull(notReady.wakeAt(), "woken by the agents becoming Ready, not by the clock");
    ReplicaPlanner.Plan ready = ReplicaPlanner.plan(new ReplicaPlanner.Input(1, 1, null, inWindow(6), step2, 3, 3,
        NOW.minusSeconds(60), null, NOW));
    assertEquals(5, ready.target());
    ReplicaPlanner.Plan down = ReplicaPlanner.plan(new ReplicaPlanner.Input(1, 1, null, outside(), step2, 5, 2,
        NOW.minusSeconds(60), null, NOW));
    assertEquals(3, down.target());
  }

  @Test
  void atTheGoalNothingMoves() {
    ReplicaPlanner.Plan p = ReplicaPlanner.plan(in(1, 1, null, inWindow(4), WIDE, 4));
    assertEquals(4, p.target());
    assertNull(p.wakeAt());
    assertNull(p.limited());
  }
}
