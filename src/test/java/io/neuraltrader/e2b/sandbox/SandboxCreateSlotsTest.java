package io.neuraltrader.e2b.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sandboxes waiting for a create slot do not hold reconcile threads: with one create slot, two reconcile
 * threads and a create that takes 15 s, an agent still reconciles at once (it used to wait until the queued
 * creates had the threads back), and each freed slot wakes the next waiter (the harness clock is frozen, so the
 * periodic recheck never fires: only the wake can start the queued creates).
 */
class SandboxCreateSlotsTest {
  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  private static String sandbox(String name) {
    return """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: %s}
        spec: {template: code-interpreter-v1, timeoutSeconds: 300}
        """.formatted(name);
  }

  @Test
  void queuedCreatesLeaveTheThreadsFreeAndAFreedSlotStartsTheNext() {
    h = OperatorHarness.start(rc -> { }, c -> c.withE2BLimits(1, 1_000).withReconcileThreads(2));
    h.runtime().faults().set(ServedOperation.CREATE, FaultPlan.none().withLatency(Duration.ofSeconds(15)));
    h.apply(sandbox("slow-1"));
    h.awaitResource(E2BSandbox.class, "slow-1", s -> s.getStatus() != null
        && s.getStatus().getPhase() == SandboxPhase.Creating);
    h.apply(sandbox("queued-2"));
    h.apply(sandbox("queued-3"));
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: unrelated}
        spec:
          strategy: momentum
          symbols: [AAPL]
          interval: 60s
          marketData: {type: synthetic, seed: 1}
          sandbox: {sandboxRef: {name: not-there}}
        """);
    // Well inside the 15 s the first create holds its slot and one of the two threads.
    h.awaitResource(TradingAgent.class, "unrelated", a -> a.getStatus() != null
        && "SandboxNotFound".equals(Conditions.reason(a.getStatus().getConditions(), "SandboxReady")), Duration.ofSeconds(12));
    // The two queued sandboxes show in the metric while the first holds the only slot.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.operator().registry()
        .find(MetricNames.SANDBOXES_WAITING_FOR_CREATE_SLOT).gauge().value() == 2.0);
    h.runtime().faults().set(ServedOperation.CREATE, FaultPlan.none());
    for (String name : new String[] {"slow-1", "queued-2", "queued-3"}) {
      h.awaitResource(E2BSandbox.class, name, s -> s.getStatus() != null
          && s.getStatus().getPhase() == SandboxPhase.Running, Duration.ofSeconds(60));
    }
    assertEquals(3, h.runtime().sandboxCount());
    assertEquals(0.0, h.operator().registry().find(MetricNames.SANDBOXES_WAITING_FOR_CREATE_SLOT).gauge().value());
  }
}
