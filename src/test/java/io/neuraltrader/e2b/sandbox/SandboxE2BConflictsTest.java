package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitPhase;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.edit;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.sandbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.runtime.SandboxState;
import io.neuraltrader.e2b.local.runtime.Transition;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** E2B's 409s mean different things; the operator tells them apart instead of assuming "already paused". */
class SandboxE2BConflictsTest {
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
  void aPauseRefusedWhileTheSandboxSnapshotsIsRetriedNotRecordedAsPaused() {
    applySandbox(h, "snap", "{}");
    String id = awaitRunning(h, "snap").getStatus().getSandboxID();
    h.runtime().beginTransition(id, Transition.SNAPSHOTTING, Duration.ofSeconds(20));

    edit(h, "snap", r -> r.getSpec().setPaused(true));
    h.awaitEvent("snap", "SandboxTransitioning");
    assertTrue(h.events("snap").stream().anyMatch(e -> "SandboxTransitioning".equals(e.getReason())
        && e.getMessage().contains("snapshotting")));
    assertEquals(SandboxPhase.Running, h.get(E2BSandbox.class, "snap").getStatus().getPhase(),
        "E2B did not pause it");
    assertEquals(SandboxState.RUNNING, sandbox(h, id).orElseThrow().state());

    h.advance(Duration.ofSeconds(25)); // the snapshot ends, the backoff has passed
    awaitPhase(h, "snap", SandboxPhase.Paused);
    assertEquals(SandboxState.PAUSED, sandbox(h, id).orElseThrow().state());
    assertEquals(id, h.get(E2BSandbox.class, "snap").getStatus().getSandboxID());
  }

  @Test
  void aPauseRefusedBecauseTheSandboxIsAlreadyPausingEndsPausedOnceE2BIsDone() {
    applySandbox(h, "slow", "{}");
    String id = awaitRunning(h, "slow").getStatus().getSandboxID();
    h.runtime().beginTransition(id, Transition.PAUSING, Duration.ofSeconds(8));

    edit(h, "slow", r -> r.getSpec().setPaused(true));
    h.awaitEvent("slow", "SandboxTransitioning");
    assertEquals(SandboxPhase.Running, h.get(E2BSandbox.class, "slow").getStatus().getPhase());

    h.advance(Duration.ofSeconds(10));
    awaitPhase(h, "slow", SandboxPhase.Paused);
    assertEquals(SandboxState.PAUSED, sandbox(h, id).orElseThrow().state());
  }

  @Test
  void aSandboxBeingKilledIsTreatedAsLostAndRecreated() {
    applySandbox(h, "doomed", "{}");
    String id = awaitRunning(h, "doomed").getStatus().getSandboxID();
    h.runtime().beginTransition(id, Transition.KILLING, Duration.ofSeconds(2));

    edit(h, "doomed", r -> r.getSpec().setPaused(true));
    h.awaitEvent("doomed", "SandboxTransitioning");
    assertEquals(SandboxPhase.Running, h.get(E2BSandbox.class, "doomed").getStatus().getPhase());

    h.advance(Duration.ofSeconds(6)); // E2B finished the kill; the pause is tried again
    E2BSandbox replaced = h.awaitResource(E2BSandbox.class, "doomed", r -> r.getStatus().getRestarts() != null
        && r.getStatus().getRestarts() == 1 && r.getStatus().getSandboxID() != null
        && !id.equals(r.getStatus().getSandboxID()));
    h.awaitEvent("doomed", "SandboxLost");
    assertNotEquals(id, replaced.getStatus().getSandboxID());
    // spec.paused still holds: the replacement is paused in turn.
    awaitPhase(h, "doomed", SandboxPhase.Paused);
  }

  @Test
  void aResumeWhileE2BKillsThePausedSandboxRecreatesIt() {
    applySandbox(h, "resume", "{}");
    String id = awaitRunning(h, "resume").getStatus().getSandboxID();
    edit(h, "resume", r -> r.getSpec().setPaused(true));
    awaitPhase(h, "resume", SandboxPhase.Paused);
    h.runtime().beginTransition(id, Transition.KILLING, Duration.ofSeconds(2));

    edit(h, "resume", r -> r.getSpec().setPaused(false));
    h.awaitEvent("resume", "SandboxTransitioning");

    h.advance(Duration.ofSeconds(6));
    E2BSandbox replaced = awaitRunning(h, "resume");
    h.awaitResource(E2BSandbox.class, "resume", r -> r.getStatus().getRestarts() != null
        && r.getStatus().getRestarts() == 1 && r.getStatus().getPhase() == SandboxPhase.Running);
    assertNotEquals(id, h.get(E2BSandbox.class, "resume").getStatus().getSandboxID());
    assertTrue(replaced.getStatus().getSandboxID() != null);
  }
}
