package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitReadyReason;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.delete;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The finalizer kills the sandbox, verifies it is gone, and only then lets the resource go. */
class SandboxDeletionTest {
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
  void deleteKillsVerifiesAndReleases() {
    applySandbox(h, "doomed", "{}");
    String id = awaitRunning(h, "doomed").getStatus().getSandboxID();
    h.runtime().resetCounts();
    delete(h, "doomed");
    h.awaitGone(E2BSandbox.class, "doomed");
    assertEquals(0, h.runtime().sandboxCount());
    assertEquals(1, count(h, ServedOperation.KILL));
    assertEquals(1, count(h, ServedOperation.GET), "the finalizer verifies the sandbox is gone");
    assertTrue(h.events("doomed").stream().anyMatch(e -> "Deleted".equals(e.getReason())
        && e.getMessage().contains(id)));
  }

  @Test
  void aSandboxAlreadyGoneCountsAsKilled() {
    applySandbox(h, "already-gone", "{}");
    String id = awaitRunning(h, "already-gone").getStatus().getSandboxID();
    assertTrue(h.runtime().kill(id)); // E2B answers 404 to the finalizer's kill
    h.runtime().resetCounts();
    delete(h, "already-gone");
    h.awaitGone(E2BSandbox.class, "already-gone");
    assertEquals(1, count(h, ServedOperation.KILL));
    assertEquals(0, count(h, ServedOperation.CREATE));
  }

  @Test
  void aFailingKillKeepsTheFinalizerUntilItWorks() {
    applySandbox(h, "stubborn", "{}");
    awaitRunning(h, "stubborn");
    h.runtime().faults().set(ServedOperation.KILL, FaultPlan.none().withErrorRate(1.0));
    delete(h, "stubborn");
    h.awaitEvent("stubborn", "DeleteFailed");
    E2BSandbox held = h.get(E2BSandbox.class, "stubborn");
    assertNotNull(held, "the finalizer holds the resource while the sandbox may still run");
    assertNotNull(held.getMetadata().getDeletionTimestamp());
    assertEquals(1, h.runtime().sandboxCount());

    h.runtime().faults().clear();
    h.advance(java.time.Duration.ofSeconds(10)); // past the delete retry's backoff
    h.awaitGone(E2BSandbox.class, "stubborn");
    assertEquals(0, h.runtime().sandboxCount());
  }

  @Test
  void aResourceThatNeverGotASandboxIsDeletedWithoutCallingE2B() {
    applySandbox(h, "never-created", """
        envVars:
          - name: TOKEN
            valueFrom:
              secretKeyRef: {name: missing-secret, key: token}
        """);
    awaitReadyReason(h, "never-created", "SecretNotFound");
    List<ServedOperation> watched = List.of(ServedOperation.CREATE, ServedOperation.KILL, ServedOperation.GET);
    var before = h.runtime().requestCounts();
    delete(h, "never-created");
    h.awaitGone(E2BSandbox.class, "never-created");
    var after = h.runtime().requestCounts();
    for (ServedOperation op : watched) {
      assertEquals(before.get(op), after.get(op), op + " calls");
    }
    assertEquals(0, after.get(ServedOperation.CREATE));
    assertEquals(0, h.runtime().sandboxCount());
  }
}
