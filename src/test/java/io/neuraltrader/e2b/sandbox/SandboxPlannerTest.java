package io.neuraltrader.e2b.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.IdleAction;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.SandboxState;
import io.neuraltrader.e2b.sandbox.SandboxPlanner.Action;
import io.neuraltrader.e2b.sandbox.SandboxPlanner.Limits;
import io.neuraltrader.e2b.sandbox.SandboxPlanner.Observation;
import io.neuraltrader.e2b.sandbox.SandboxPlanner.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure planner: every action and every wake-up instant, no server. */
class SandboxPlannerTest {
  private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
  private static final Limits NO_LIMITS = new Limits(null, null);
  private static final String ID = "sbx1";

  private static E2BSandboxSpec spec() {
    E2BSandboxSpec spec = new E2BSandboxSpec();
    spec.setTimeoutSeconds(300);
    return spec;
  }

  /** Running since T0, expiring at T0 + 300 s, renewed at T0. */
  private static E2BSandboxStatus running() {
    E2BSandboxStatus s = new E2BSandboxStatus();
    s.setPhase(SandboxPhase.Running);
    s.setSandboxID(ID);
    s.setStartedAt(T0.toString());
    s.setFirstStartedAt(T0.toString());
    s.setExpiresAt(T0.plusSeconds(300).toString());
    s.setLastRenewedAt(T0.toString());
    return s;
  }

  private static ListedSandbox listed(String id, SandboxState state, Instant endAt) {
    return new ListedSandbox("tpl", "code-interpreter-v1", id, null, T0, endAt, 2, 512, 1024,
        Map.of(SandboxTags.UID, "uid"), state, "0.2.0");
  }

  private static Observation seen(ListedSandbox s, Instant at) {
    return new Observation(s, at, true, T0);
  }

  private static Plan decide(E2BSandboxSpec spec, E2BSandboxStatus status, Observation o, Limits limits,
      Instant lastActivity, Instant now) {
    return SandboxPlanner.decide(spec, status, o, limits, lastActivity, now);
  }

  @Test
  void createsWhenThereIsNoSandbox() {
    Plan p = decide(spec(), new E2BSandboxStatus(), Observation.unknown(), NO_LIMITS, null, T0);
    assertEquals(Action.CREATE, p.action());
    assertNull(p.wakeAt());
  }

  /** When about a third of a 300 s timeout ending at T0 + 300 s is left (jittered per sandbox). */
  private static Instant renewalPoint() {
    return T0.plusSeconds(300).minusMillis((long) (300_000 * SandboxPlanner.renewFraction(ID)));
  }

  @Test
  void runningSandboxWakesAtItsRenewalPoint() {
    Plan p = decide(spec(), running(), seen(listed(ID, SandboxState.RUNNING, T0.plusSeconds(300)),
        T0.plusSeconds(10)), NO_LIMITS, null, T0.plusSeconds(10));
    assertEquals(Action.NONE, p.action());
    assertEquals(renewalPoint(), p.wakeAt());
  }

  @Test
  void renewsOnceAboutAThirdOfTheTimeoutIsLeft() {
    assertEquals(Action.NONE, decide(spec(), running(), seen(listed(ID, SandboxState.RUNNING, T0.plusSeconds(300)),
        T0.plusSeconds(100)), NO_LIMITS, null, renewalPoint().minusMillis(1)).action());
    Plan p = decide(spec(), running(), seen(listed(ID, SandboxState.RUNNING, T0.plusSeconds(300)),
        T0.plusSeconds(100)), NO_LIMITS, null, renewalPoint());
    assertEquals(Action.RENEW, p.action());
  }

  @Test
  void renewalPointsSpreadBetweenThirtyAndFortyPercentLeft() {
    java.util.Set<Long> points = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      double f = SandboxPlanner.renewFraction("sb" + i);
      org.junit.jupiter.api.Assertions.assertTrue(f >= 0.30 && f <= 0.40, "fraction " + f);
      points.add(Math.round(f * 100));
    }
    org.junit.jupiter.api.Assertions.assertTrue(points.size() >= 8, "renewals are spread, not synchronised");
  }

  @Test
  void aFreshListingWithAnEarlierEndBringsTheRenewalForward() {
    // Someone shortened the timeout to T0 + 100 s: renew at 100 - 150 = already due.
    Plan p = decide(spec(), running(), seen(listed(ID, SandboxState.RUNNING, T0.plusSeconds(100)),
        T0.plusSeconds(5)), NO_LIMITS, null, T0.plusSeconds(5));
    assertEquals(Action.RENEW, p.action());
  }

  @Test
  void afterARestartTheRenewalPointComesFromE2BsEndTimeNotAnOlderStatus() {
    // Status was last written before renewals the restarted operator no longer remembers: it says T0 + 300 s,
    // E2B (a fresh listing) says T0 + 600 s. Renewing now would be a wasted call.
    Instant now = T0.plusSeconds(250);
    Plan p = decide(spec(), running(), seen(listed(ID, SandboxState.RUNNING, T0.plusSeconds(600)), now),
        NO_LIMITS, null, now);
    assertEquals(Action.NONE, p.action());
    assertEquals(renewalPoint().plusSeconds(300), p.wakeAt());
  }

  @Test
  void aListingOlderThanTheLastRenewalDoesNotTriggerAnotherRenewal() {
    E2BSandboxStatus s = running();
    s.setExpiresAt(T0.plusSeconds(450).toString());
    s.setLastRenewedAt(T0.plusSeconds(150).toString());
    Observation stale = new Observation(listed(ID, SandboxState.RUNNING, T0.plusSeconds(300)),
        T0.plusSeconds(150), true, T0.plusSeconds(150));
    Plan p = decide(spec(), s, stale, NO_LIMITS, null, T0.plusSeconds(150));
    assertEquals(Action.NONE, p.action());
    assertEquals(renewalPoint().plusSeconds(150), p.wakeAt());
  }

  @Test
  void confirmsLossWhenACompleteFreshListingNoLongerShowsTheSandbox() {
    Plan p = decide(spec(), running(), seen(null, T0.plusSeconds(30)), NO_LIMITS, null, T0.plusSeconds(30));
    assertEquals(Action.CONFIRM_LOST, p.action());
  }

  @Test
  void absenceProvesNothingWhenIncompleteTooSoonOrStale() {
    Observation incomplete = new Observation(null, T0.plusSeconds(30), false, T0);
    assertEquals(Action.NONE, decide(spec(), running(), incomplete, NO_LIMITS, null, T0.plusSeconds(30)).action());
    Observation tooSoon = seen(null, T0.plusSeconds(1));
    assertEquals(Action.NONE, decide(spec(), running(), tooSoon, NO_LIMITS, null, T0.plusSeconds(1)).action());
    Observation beforeLastChange = new Observation(null, T0.plusSeconds(30), true, T0.plusSeconds(30));
    assertEquals(Action.NONE,
        decide(spec(), running(), beforeLastChange, NO_LIMITS, null, T0.plusSeconds(30)).action());
    Observation otherSandbox = seen(listed("other", SandboxState.RUNNING, T0.plusSeconds(300)), T0.plusSeconds(30));
    assertEquals(Action.CONFIRM_LOST,
        decide(spec(), running(), otherSandbox, NO_LIMITS, null, T0.plusSeconds(30)).action());
  }

  @Test
  void expiresAtTheEndOfTheLifetimeAndStaysExpired() {
    Limits limits = new Limits(Duration.ofMinutes(2), null);
    Plan before = decide(spec(), running(), seen(listed(ID, SandboxState.RUNNING, T0.plusSeconds(300)),
        T0.plusSeconds(10)), limits, null, T0.plusSeconds(10));
    assertEquals(Action.NONE, before.action());
    assertEquals(T0.plusSeconds(120), before.wakeAt(), "the lifetime end comes before the renewal");

    assertEquals(Action.EXPIRE, decide(spec(), running(), Observation.unknown(), limits, null,
        T0.plusSeconds(120)).action());

    E2BSandboxStatus expired = running();
    expired.setPhase(SandboxPhase.Expired);
    Plan after = decide(spec(), expired, Observation.unknown(), limits, null, T0.plusSeconds(500));
    assertEquals(Action.NONE, after.action());
    assertNull(after.wakeAt());
  }

  @Test
  void aLifetimeOverWithoutASandboxNeverCreates() {
    E2BSandboxStatus s = new E2BSandboxStatus();
    s.setFirstStartedAt(T0.toString());
    Plan p = decide(spec(), s, Observation.unknown(), new Limits(Duration.ofMinutes(1), null), null,
        T0.plusSeconds(61));
    assertEquals(Action.NONE, p.action());
  }

  @Test
  void pausesWhenSpecSaysPausedAndResumesWhenItNoLongerDoes() {
    E2BSandboxSpec pause = spec();
    pause.setPaused(true);
    Plan p = decide(pause, running(), Observation.unknown(), NO_LIMITS, null, T0.plusSeconds(5));
    assertEquals(Action.PAUSE, p.action());
    assertEquals(SandboxPlanner.PAUSE_REQUESTED, p.reason());

    E2BSandboxStatus paused = running();
    paused.setPhase(SandboxPhase.Paused);
    paused.setPauseReason(SandboxPlanner.PAUSE_REQUESTED);
    assertEquals(Action.NONE, decide(pause, paused, Observation.unknown(), NO_LIMITS, null, T0.plusSeconds(5))
        .action());
    // A listing from before the pause still shows it running: no second pause.
    Observation stale = new Observation(listed(ID, SandboxState.RUNNING, T0.plusSeconds(300)),
        T0.plusSeconds(5), true, T0.plusSeconds(5));
    assertEquals(Action.NONE, decide(pause, paused, stale, NO_LIMITS, null, T0.plusSeconds(5)).action());

    Plan resume = decide(spec(), paused, Observation.unknown(), NO_LIMITS, null, T0.plusSeconds(5));
    assertEquals(Action.RESUME, resume.action());
  }

  @Test
  void aPausedSandboxWakesOnlyForItsLifetime() {
    E2BSandboxStatus paused = running();
    paused.setPhase(SandboxPhase.Paused);
    paused.setPauseReason(SandboxPlanner.PAUSE_IDLE);
    Plan p = decide(spec(), paused, Observation.unknown(), new Limits(Duration.ofHours(8), Duration.ofMinutes(5)),
        null, T0.plusSeconds(3600));
    assertEquals(Action.NONE, p.action());
    assertEquals(T0.plusSeconds(8 * 3600), p.wakeAt());
    assertNull(decide(spec(), paused, Observation.unknown(), NO_LIMITS, null, T0).wakeAt());
  }

  @Test
  void aSandboxPausedOutsideTheOperatorIsResumedUnlessIdlePaused() {
    Observation pausedByE2B = seen(listed(ID, SandboxState.PAUSED, T0.plusSeconds(300)), T0.plusSeconds(10));
    assertEquals(Action.RESUME, decide(spec(), running(), pausedByE2B, NO_LIMITS, null, T0.plusSeconds(10))
        .action());
    E2BSandboxStatus idlePaused = running();
    idlePaused.setPhase(SandboxPhase.Paused);
    idlePaused.setPauseReason(SandboxPlanner.PAUSE_IDLE);
    assertEquals(Action.NONE, decide(spec(), idlePaused, pausedByE2B, NO_LIMITS, null, T0.plusSeconds(10))
        .action(), "an idle-paused sandbox waits for work, not for spec.paused");
  }

  @Test
  void idleTimeoutPausesOrDeletesAndWakesAtTheIdleInstant() {
    Limits idle = new Limits(null, Duration.ofMinutes(1));
    Plan waiting = decide(spec(), running(), Observation.unknown(), idle, T0.plusSeconds(30), T0.plusSeconds(40));
    assertEquals(Action.NONE, waiting.action());
    assertEquals(T0.plusSeconds(90), waiting.wakeAt(), "one idle timeout after the last activity");

    Plan pause = decide(spec(), running(), Observation.unknown(), idle, T0.plusSeconds(30), T0.plusSeconds(90));
    assertEquals(Action.PAUSE, pause.action());
    assertEquals(SandboxPlanner.PAUSE_IDLE, pause.reason());

    E2BSandboxSpec delete = spec();
    delete.setIdleAction(IdleAction.Delete);
    assertEquals(Action.DELETE_RESOURCE,
        decide(delete, running(), Observation.unknown(), idle, null, T0.plusSeconds(60)).action());
  }

  @Test
  void theEarliestDeadlineWins() {
    Limits limits = new Limits(Duration.ofSeconds(200), Duration.ofSeconds(100));
    Plan p = decide(spec(), running(), Observation.unknown(), limits, T0.plusSeconds(20), T0.plusSeconds(30));
    assertEquals(T0.plusSeconds(120), p.wakeAt(), "idle (120) before renewal (150) and lifetime (200)");
  }

  @Test
  void renewalPointFollowsTheTimeout() {
    E2BSandboxSpec spec = spec();
    spec.setTimeoutSeconds(60);
    E2BSandboxStatus s = running();
    s.setExpiresAt(T0.plusSeconds(60).toString());
    assertEquals(T0.plusSeconds(60).minusMillis((long) (60_000 * SandboxPlanner.renewFraction(ID))),
        SandboxPlanner.renewalDue(spec, s, null));
    assertNull(SandboxPlanner.renewalDue(spec, new E2BSandboxStatus(), null));
  }

  /** The one lifetime rule, which both decide and the lost-sandbox path apply: counted from the first start. */
  @Test
  void theLifetimeIsOverFromItsEndOnCountedFromTheFirstStart() {
    E2BSandboxStatus s = running();
    s.setStartedAt(T0.plusSeconds(50).toString());
    Limits limits = new Limits(Duration.ofMinutes(2), null);
    assertEquals(T0.plusSeconds(120), SandboxPlanner.lifetimeEnd(s, limits));
    assertNull(SandboxPlanner.lifetimeOver(s, limits, T0.plusSeconds(119)));
    assertEquals("lifetime 2m reached", SandboxPlanner.lifetimeOver(s, limits, T0.plusSeconds(120)));
    assertNull(SandboxPlanner.lifetimeOver(s, NO_LIMITS, T0.plusSeconds(10_000)));
    s.setFirstStartedAt(null);
    assertNull(SandboxPlanner.lifetimeEnd(s, limits));
  }
}
