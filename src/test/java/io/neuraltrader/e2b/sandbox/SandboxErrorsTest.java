package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitReadyReason;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitStays;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitTrue;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.condition;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Impossible specs and E2B failures end in a condition and a bounded retry on the clock, never a hot loop. */
class SandboxErrorsTest {
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
  void anUnknownTemplateIsNotRetriedUntilTheSpecChangesThenOnce() {
    applySandbox(h, "no-template", "template: does-not-exist");
    E2BSandbox failed = awaitReadyReason(h, "no-template", "CreateRejected");
    assertEquals(SandboxPhase.Failed, failed.getStatus().getPhase());
    String message = condition(failed, "Ready").getMessage();
    assertTrue(message.contains("does-not-exist"), message);
    assertTrue(message.contains("not retried until the spec"), message);
    assertTrue(failed.getStatus().getLastError().startsWith("CreateRejected"));
    h.awaitEvent("no-template", "CreateRejected");
    awaitStays(() -> count(h, ServedOperation.CREATE) == 1);

    // Half an hour of status refreshes (every 60 s) and fleet polls: the same spec is never tried again.
    for (int i = 0; i < 6; i++) {
      h.advance(Duration.ofMinutes(5));
      awaitStays(() -> count(h, ServedOperation.CREATE) == 1);
    }

    SandboxTesting.edit(h, "no-template", r -> r.getSpec().setTemplate(E2BSandboxSpec.DEFAULT_TEMPLATE));
    awaitRunning(h, "no-template");
    assertEquals(2, count(h, ServedOperation.CREATE), "one attempt for the changed spec");
    assertEquals(1, h.runtime().sandboxCount());
  }

  @Test
  void aPermanentRejectionIsTriedAgainAfterTheLongCap() {
    applySandbox(h, "no-template", "template: does-not-exist");
    awaitReadyReason(h, "no-template", "CreateRejected");
    awaitStays(() -> count(h, ServedOperation.CREATE) == 1);
    // The template may be built later, outside the cluster: one more attempt per cap (1 h), no more.
    for (int i = 0; i < 11; i++) {
      h.advance(Duration.ofMinutes(5));
      awaitStays(() -> count(h, ServedOperation.CREATE) == 1);
    }
    h.advance(Duration.ofMinutes(5));
    awaitTrue(() -> count(h, ServedOperation.CREATE) == 2);
    awaitStays(() -> count(h, ServedOperation.CREATE) == 2);
    h.awaitResource(E2BSandbox.class, "no-template", r -> r.getStatus().getPhase() == SandboxPhase.Failed);
  }

  @Test
  void aCreateRejectedByServerErrorsIsRetriedAndThenSucceeds() {
    h.runtime().faults().set(ServedOperation.CREATE, FaultPlan.none().withErrorRate(1.0));
    applySandbox(h, "flaky", "{}");
    E2BSandbox failing = h.awaitResource(E2BSandbox.class, "flaky", r -> r.getStatus() != null
        && r.getStatus().getLastError() != null);
    assertTrue(failing.getStatus().getSandboxID() == null);
    long creates = count(h, ServedOperation.CREATE);
    awaitStays(() -> count(h, ServedOperation.CREATE) == creates);

    h.runtime().faults().clear();
    h.advance(Duration.ofSeconds(6));
    awaitRunning(h, "flaky");
    // Whatever the failed attempts did, exactly one sandbox exists for the resource.
    assertEquals(1, h.runtime().sandboxCount());
  }
}
