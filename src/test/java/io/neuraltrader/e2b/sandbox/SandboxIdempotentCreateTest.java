package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitReadyReason;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitTrue;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.local.runtime.SandboxSnapshot;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A lost create response or a crash mid-create never produces a second sandbox: the tagged one is adopted. */
class SandboxIdempotentCreateTest {
  private OperatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void lostCreateResponseThenRestartAdoptsTheSandboxInsteadOfCreatingASecond() {
    h = startWithSlowFleetPoll();
    h.runtime().faults().set(ServedOperation.CREATE, FaultPlan.none().withLostCreateResponseRate(1.0));
    applySandbox(h, "lost-response", "timeoutSeconds: 300");

    // E2B created the sandbox but the answer never arrived: the outcome is unknown, status says Creating.
    E2BSandbox creating = awaitReadyReason(h, "lost-response", "CreateOutcomeUnknown");
    assertEquals(SandboxPhase.Creating, creating.getStatus().getPhase());
    assertEquals(null, creating.getStatus().getSandboxID());
    assertEquals(1, h.runtime().sandboxCount());
    assertEquals(1, count(h, ServedOperation.CREATE));
    h.runtime().faults().clear();

    h.restartOperator();

    E2BSandbox running = awaitRunning(h, "lost-response");
    SandboxSnapshot only = h.runtime().sandboxes().get(0);
    assertEquals(1, h.runtime().sandboxCount());
    assertEquals(only.sandboxId(), running.getStatus().getSandboxID());
    assertEquals(running.getMetadata().getUid(), only.metadata().get(SandboxTags.UID));
    assertEquals(1, count(h, ServedOperation.CREATE), "the restarted operator must adopt, not create");
    h.awaitEvent("lost-response", "Adopted");
  }

  @Test
  void lostCreateResponseIsRetriedByLookingUpTheUidFirst() {
    h = startWithSlowFleetPoll();
    h.runtime().faults().set(ServedOperation.CREATE, FaultPlan.none().withLostCreateResponseRate(1.0));
    applySandbox(h, "retry-after-loss", "{}");
    awaitReadyReason(h, "retry-after-loss", "CreateOutcomeUnknown");
    h.runtime().faults().clear();

    h.advance(Duration.ofSeconds(2)); // past the retry delay of an unknown create outcome
    E2BSandbox running = awaitRunning(h, "retry-after-loss");

    assertEquals(1, h.runtime().sandboxCount());
    assertEquals(1, count(h, ServedOperation.CREATE));
    assertEquals(h.runtime().sandboxes().get(0).sandboxId(), running.getStatus().getSandboxID());
    h.awaitEvent("retry-after-loss", "Adopted");
  }

  @Test
  void restartWithARunningSandboxKeepsItWithoutAnyCreate() {
    h = OperatorHarness.start();
    applySandbox(h, "survivor", "{}");
    String id = awaitRunning(h, "survivor").getStatus().getSandboxID();
    h.restartOperator();
    h.advance(Duration.ofSeconds(10));
    h.operator().fleet().poll();
    awaitTrue(() -> h.operator().fleet().snapshot().byUid().size() == 1);
    assertEquals(id, awaitRunning(h, "survivor").getStatus().getSandboxID());
    assertEquals(1, count(h, ServedOperation.CREATE));
    assertEquals(1, h.runtime().sandboxCount());
  }

  /**
   * The fleet poll (every 200 ms of real time by default) finds the sandbox E2B created and adopts it on its
   * own, so the unknown-outcome state would last only until the next poll and a loaded machine could miss it.
   * With one poll at start and the next 30 s later, that state holds until the test moves on.
   */
  private static OperatorHarness startWithSlowFleetPoll() {
    return OperatorHarness.start(rc -> { },
        c -> c.withTimings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(60)));
  }
}
