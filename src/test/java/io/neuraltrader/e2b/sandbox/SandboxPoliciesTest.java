package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitPhase;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitStays;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitTrue;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.condition;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.edit;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.sandbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.local.runtime.HostedState;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lost sandboxes, lifetime, idle policy and spec.paused, through the running operator. */
class SandboxPoliciesTest {
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
  void aSandboxKilledBehindTheOperatorsBackIsRecreatedAndCounted() {
    applySandbox(h, "fragile", "{}");
    String first = awaitRunning(h, "fragile").getStatus().getSandboxID();
    h.advance(Duration.ofSeconds(5)); // listings are now newer than the create
    assertTrue(h.runtime().kill(first));

    E2BSandbox recreated = h.awaitResource(E2BSandbox.class, "fragile", r -> r.getStatus().getSandboxID() != null
        && !first.equals(r.getStatus().getSandboxID()) && r.getStatus().getPhase() == SandboxPhase.Running);
    assertEquals(1, recreated.getStatus().getRestarts());
    assertEquals(1, h.runtime().sandboxCount());
    assertEquals(recreated.getStatus().getSandboxID(), h.runtime().sandboxes().get(0).sandboxId());
    assertEquals(2, count(h, ServedOperation.CREATE));
    h.awaitEvent("fragile", "SandboxLost");
    h.awaitEvent("fragile", "Recreated");
    assertTrue(h.events("fragile").stream().filter(e -> "SandboxLost".equals(e.getReason()))
        .anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains(first)));
  }

  @Test
  void lifetimeEndsTheSandboxAsExpiredAndNeverRecreatesIt() {
    applySandbox(h, "bounded", "lifetime: 2m");
    String id = awaitRunning(h, "bounded").getStatus().getSandboxID();

    h.advance(Duration.ofSeconds(119));
    h.runtime().sweep();
    assertTrue(sandbox(h, id).isPresent());
    h.advance(Duration.ofSeconds(2));

    E2BSandbox expired = awaitPhase(h, "bounded", SandboxPhase.Expired);
    assertEquals(0, h.runtime().sandboxCount());
    assertEquals("LifetimeExceeded", condition(expired, "Ready").getReason());
    assertEquals("False", condition(expired, "Ready").getStatus());
    h.awaitEvent("bounded", "Expired");

    h.advance(Duration.ofMinutes(10));
    h.operator().fleet().poll();
    awaitStays(() -> count(h, ServedOperation.CREATE) == 1 && h.runtime().sandboxCount() == 0);
    assertEquals(SandboxPhase.Expired, h.get(E2BSandbox.class, "bounded").getStatus().getPhase());
  }

  @Test
  void idleTimeoutWithDeleteDeletesTheResourceAndKillsTheSandbox() {
    applySandbox(h, "idle-delete", """
        idleTimeout: 1m
        idleAction: Delete
        """);
    awaitRunning(h, "idle-delete");
    h.advance(Duration.ofSeconds(61));
    h.awaitGone(E2BSandbox.class, "idle-delete");
    assertEquals(0, h.runtime().sandboxCount());
    assertTrue(h.hasEvent("idle-delete", "IdleDeleted"));
  }

  @Test
  void activityPostponesTheIdleTimeout() {
    applySandbox(h, "busy", """
        idleTimeout: 1m
        idleAction: Delete
        """);
    String id = awaitRunning(h, "busy").getStatus().getSandboxID();
    h.advance(Duration.ofSeconds(50));
    h.operator().activity().recordExecution(id, 20, false, h.clock().instant());
    h.advance(Duration.ofSeconds(20)); // 70 s after start, 20 s after the last execution
    h.operator().fleet().poll();
    awaitStays(() -> h.get(E2BSandbox.class, "busy") != null);
    h.advance(Duration.ofSeconds(41));
    h.awaitGone(E2BSandbox.class, "busy");
  }

  @Test
  void idleTimeoutWithPausePausesTheSandboxInTheRuntime() {
    applySandbox(h, "idle-pause", "idleTimeout: 1m");
    String id = awaitRunning(h, "idle-pause").getStatus().getSandboxID();
    h.advance(Duration.ofSeconds(61));

    E2BSandbox paused = awaitPhase(h, "idle-pause", SandboxPhase.Paused);
    assertEquals(SandboxPlanner.PAUSE_IDLE, paused.getStatus().getPauseReason());
    assertEquals(HostedState.PAUSED, sandbox(h, id).orElseThrow().state());
    assertEquals("Paused", condition(paused, "Ready").getReason());
    h.awaitEvent("idle-pause", "Paused");
    assertEquals(1, count(h, ServedOperation.PAUSE));
  }

  @Test
  void specPausedPausesAndResumesTheSameSandbox() {
    applySandbox(h, "switch", "idleTimeout: 10m");
    String id = awaitRunning(h, "switch").getStatus().getSandboxID();

    edit(h, "switch", r -> r.getSpec().setPaused(true));
    E2BSandbox paused = awaitPhase(h, "switch", SandboxPhase.Paused);
    assertEquals(HostedState.PAUSED, sandbox(h, id).orElseThrow().state());
    assertEquals(paused.getMetadata().getGeneration(), condition(paused, "Ready").getObservedGeneration());
    h.awaitEvent("switch", "Paused");
    // The listing still shows it running for a moment: that must not cause pause after pause.
    awaitStays(() -> count(h, ServedOperation.PAUSE) == 1);

    h.advance(Duration.ofHours(2)); // paused sandboxes neither time out nor count as idle
    h.runtime().sweep();
    assertEquals(HostedState.PAUSED, sandbox(h, id).orElseThrow().state());

    edit(h, "switch", r -> r.getSpec().setPaused(false));
    E2BSandbox resumed = awaitRunning(h, "switch");
    assertEquals(id, resumed.getStatus().getSandboxID());
    assertEquals(HostedState.RUNNING, sandbox(h, id).orElseThrow().state());
    h.awaitEvent("switch", "Resumed");
    assertTrue(count(h, ServedOperation.CONNECT) >= 1);
    // Resumed after two hours paused: the 10-minute idle timeout counts from the resume, not the first start.
    h.operator().fleet().poll();
    awaitStays(() -> h.get(E2BSandbox.class, "switch").getStatus().getPhase() == SandboxPhase.Running);
    assertEquals(1, count(h, ServedOperation.PAUSE));
    assertNotEquals(OperatorHarness.START.toString(), h.get(E2BSandbox.class, "switch").getStatus().getStartedAt());
  }
}
