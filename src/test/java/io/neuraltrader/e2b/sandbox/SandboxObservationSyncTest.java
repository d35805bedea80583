package io.neuraltrader.e2b.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.SandboxState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Status follows pauses and resumes that happened outside the operator; spec.paused can always undo a pause. */
class SandboxObservationSyncTest {
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");

  private static ListedSandbox listed(SandboxState state) {
    return new ListedSandbox("code-interpreter-v1", null, "sb1", null, NOW.minusSeconds(600), NOW.plusSeconds(120),
        2, 512, 1024, Map.of(), state, "0.2.0");
  }

  private static E2BSandboxStatus status(SandboxPhase phase, String pauseReason) {
    E2BSandboxStatus s = new E2BSandboxStatus();
    s.setSandboxID("sb1");
    s.setPhase(phase);
    s.setPauseReason(pauseReason);
    return s;
  }

  private static SandboxPlanner.Observation fresh(SandboxState state) {
    return new SandboxPlanner.Observation(listed(state), NOW, true, NOW.minus(Duration.ofMinutes(1)));
  }

  @Test
  void aSandboxResumedElsewhereIsRunningAgain() {
    E2BSandboxStatus s = SandboxPlanner.syncObserved(new E2BSandboxSpec(),
        status(SandboxPhase.Paused, SandboxPlanner.PAUSE_IDLE), fresh(SandboxState.RUNNING), NOW);
    assertEquals(SandboxPhase.Running, s.getPhase());
    assertNull(s.getPauseReason());
    assertEquals("2026-03-02T15:02:00Z", s.getExpiresAt());
  }

  @Test
  void aSandboxPausedElsewhereIsPausedAndSpecFalseResumesIt() {
    E2BSandboxStatus s = SandboxPlanner.syncObserved(new E2BSandboxSpec(), status(SandboxPhase.Running, null),
        fresh(SandboxState.PAUSED), NOW);
    assertEquals(SandboxPhase.Paused, s.getPhase());
    assertEquals(SandboxPlanner.PAUSE_EXTERNAL, s.getPauseReason());
    SandboxPlanner.Plan plan = SandboxPlanner.decide(new E2BSandboxSpec(), s, fresh(SandboxState.PAUSED),
        new SandboxPlanner.Limits(null, null), null, NOW);
    assertEquals(SandboxPlanner.Action.RESUME, plan.action());
  }

  @Test
  void pausedTrueThenFalseResumesAnIdlePausedSandbox() {
    E2BSandboxSpec spec = new E2BSandboxSpec();
    spec.setPaused(true);
    E2BSandboxStatus s = SandboxPlanner.syncObserved(spec, status(SandboxPhase.Paused, SandboxPlanner.PAUSE_IDLE),
        fresh(SandboxState.PAUSED), NOW);
    assertEquals(SandboxPlanner.PAUSE_REQUESTED, s.getPauseReason());
    spec.setPaused(false);
    SandboxPlanner.Plan plan = SandboxPlanner.decide(spec, s, fresh(SandboxState.PAUSED),
        new SandboxPlanner.Limits(null, Duration.ofMinutes(30)), null, NOW);
    assertEquals(SandboxPlanner.Action.RESUME, plan.action());
  }

  @Test
  void aStaleListingChangesNothing() {
    E2BSandboxStatus s = status(SandboxPhase.Paused, SandboxPlanner.PAUSE_REQUESTED);
    SandboxPlanner.Observation stale = new SandboxPlanner.Observation(listed(SandboxState.RUNNING),
        NOW.minusSeconds(5), true, NOW);
    assertEquals(SandboxPhase.Paused, SandboxPlanner.syncObserved(new E2BSandboxSpec(), s, stale, NOW).getPhase());
  }

  @Test
  void theObservedStatusIsANewValueAndTheInputIsUnchanged() {
    E2BSandboxStatus input = status(SandboxPhase.Paused, SandboxPlanner.PAUSE_IDLE);
    E2BSandboxStatus synced = SandboxPlanner.syncObserved(new E2BSandboxSpec(), input, fresh(SandboxState.RUNNING),
        NOW);
    assertEquals(SandboxPhase.Running, synced.getPhase());
    assertNotSame(input, synced);
    assertEquals(SandboxPhase.Paused, input.getPhase());
    assertEquals(SandboxPlanner.PAUSE_IDLE, input.getPauseReason());
    assertNull(input.getExpiresAt());
  }
}
