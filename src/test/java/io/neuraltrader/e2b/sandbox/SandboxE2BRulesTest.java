package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitPhase;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.condition;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.edit;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.sandbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.EnvVar;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.local.runtime.HostedState;
import io.neuraltrader.e2b.local.runtime.Transition;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What E2B's server does beyond its spec, through the running operator: its 409s mean different things (told
 * apart instead of assuming "already paused"), and it turns env vars into source.
 */
class SandboxE2BRulesTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /**
   * No fleet listing after the first: the operator learns of a finished kill only from its own calls, so the
   * outcome does not depend on whether a poll or the retry comes first.
   */
  private void withoutListings() {
    h.close();
    h = OperatorHarness.start(rc -> { }, c -> c.withTimings(Duration.ofHours(1), Duration.ofSeconds(5),
        Duration.ofSeconds(60)));
  }

  /** A running sandbox that E2B then puts into a transition; returns its id. */
  private String runningThen(String name, Transition transition, Duration length) {
    applySandbox(h, name, "{}");
    String id = awaitRunning(h, name).getStatus().getSandboxID();
    h.runtime().beginTransition(id, transition, length);
    return id;
  }

  @Test
  void aPauseRefusedWhileTheSandboxSnapshotsIsRetriedNotRecordedAsPaused() {
    String id = runningThen("snap", Transition.SNAPSHOTTING, Duration.ofSeconds(20));

    edit(h, "snap", r -> r.getSpec().setPaused(true));
    h.awaitEvent("snap", "SandboxTransitioning");
    assertTrue(h.events("snap").stream().anyMatch(e -> "SandboxTransitioning".equals(e.getReason())
        && e.getMessage().contains("snapshotting")));
    assertEquals(SandboxPhase.Running, h.get(E2BSandbox.class, "snap").getStatus().getPhase(),
        "E2B did not pause it");
    assertEquals(HostedState.RUNNING, sandbox(h, id).orElseThrow().state());

    h.advance(Duration.ofSeconds(25)); // the snapshot ends, the backoff has passed
    awaitPhase(h, "snap", SandboxPhase.Paused);
    assertEquals(HostedState.PAUSED, sandbox(h, id).orElseThrow().state());
    assertEquals(id, h.get(E2BSandbox.class, "snap").getStatus().getSandboxID());
  }

  @Test
  void aPauseRefusedBecauseTheSandboxIsAlreadyPausingEndsPausedOnceE2BIsDone() {
    String id = runningThen("slow", Transition.PAUSING, Duration.ofSeconds(8));

    edit(h, "slow", r -> r.getSpec().setPaused(true));
    h.awaitEvent("slow", "SandboxTransitioning");
    assertEquals(SandboxPhase.Running, h.get(E2BSandbox.class, "slow").getStatus().getPhase());

    h.advance(Duration.ofSeconds(10));
    awaitPhase(h, "slow", SandboxPhase.Paused);
    assertEquals(HostedState.PAUSED, sandbox(h, id).orElseThrow().state());
  }

  @Test
  void aSandboxBeingKilledIsTreatedAsLostAndRecreated() {
    withoutListings();
    String id = runningThen("doomed", Transition.KILLING, Duration.ofSeconds(2));

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
    withoutListings();
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

  /**
   * A sandbox's env vars end up as Python source in E2B's code interpreter (the first cell of every context),
   * so values that cannot stay inside a quoted literal are refused before any E2B call.
   */
  @Test
  void aSecretValueWithAQuoteOrLineBreakFailsTheSpecWithoutCreatingAnything() {
    String secret = "pa'ss\nword";
    h.client().secrets().inNamespace(h.namespace()).resource(new SecretBuilder()
        .withNewMetadata().withName("vendor").endMetadata().addToStringData("token", secret).build()).create();
    applySandbox(h, "quoted", """
        envVars:
          - {name: MODE, value: paper}
          - name: VENDOR_TOKEN
            valueFrom: {secretKeyRef: {name: vendor, key: token}}
        """);
    E2BSandbox failed = awaitPhase(h, "quoted", SandboxPhase.Failed);
    String message = condition(failed, "Ready").getMessage();
    assertEquals("InvalidSpec", condition(failed, "Ready").getReason());
    assertTrue(message.contains("VENDOR_TOKEN"), message);
    assertFalse(message.contains("pa'ss"), "the value is never shown");
    h.awaitEvent("quoted", "InvalidSpec");
    assertTrue(h.events("quoted").stream().noneMatch(e -> e.getMessage().contains("pa'ss")));
    assertEquals(0, count(h, ServedOperation.CREATE), "nothing reached E2B");

    // A usable value is all it takes.
    edit(h, "quoted", r -> r.getSpec().setEnvVars(List.of(new EnvVar("MODE", "paper"),
        new EnvVar("VENDOR_TOKEN", "plain-token_1"))));
    String id = awaitRunning(h, "quoted").getStatus().getSandboxID();
    assertTrue(id != null);
  }
}
