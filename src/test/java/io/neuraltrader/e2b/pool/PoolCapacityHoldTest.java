package io.neuraltrader.e2b.pool;

import static io.neuraltrader.e2b.pool.Pools.awaitPool;
import static io.neuraltrader.e2b.pool.Pools.members;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** E2B rate-limit answers hold the pool (condition + event) instead of hammering; it fills once E2B accepts. */
class PoolCapacityHoldTest {
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
  void rateLimitedCreatesHoldThePoolUntilE2BAcceptsAgain() {
    h.runtime().faults().set(ServedOperation.CREATE, FaultPlan.none().withRateLimitRate(1.0).withRetryAfterSeconds(30));
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: held}
        spec: {replicas: 3, maxSandboxes: 10}
        """);
    SandboxPool held = awaitPool(h, "held", p -> Pools.condition(p, "CapacityHeld", true));
    assertEquals("RateLimited", Conditions.reason(held.getStatus().getConditions(), "CapacityHeld"));
    h.awaitEvent("held", "CapacityHeld");

    // Asking for more while held creates nothing more.
    h.client().resources(SandboxPool.class).inNamespace(h.namespace()).withName("held")
        .edit(p -> {
          p.getSpec().setReplicas(6);
          return p;
        });
    SandboxPool asked = awaitPool(h, "held", p -> p.getStatus().getDesiredReplicas() == 6
        && p.getStatus().getObservedGeneration().equals(p.getMetadata().getGeneration()));
    assertTrue(Pools.condition(asked, "CapacityHeld", true));
    assertEquals(3, members(h, "held").size(), "a held pool creates no more members");

    // While the clock stands still, nothing retries: at most each member's own first attempt reached E2B.
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(
        () -> h.runtime().requestCount(ServedOperation.CREATE) <= 3 && members(h, "held").size() == 3);
    long creates = h.runtime().requestCount(ServedOperation.CREATE);
    assertTrue(creates >= 1 && creates <= 3, "create requests while held: " + creates);
    assertEquals(0, h.runtime().sandboxCount());

    h.runtime().faults().clear();
    h.advance(Duration.ofSeconds(31));
    SandboxPool filled = awaitPool(h, "held", p -> Pools.status(p, 6, 6, 0, 0)
        && Pools.condition(p, "CapacityHeld", false));
    assertTrue(Pools.condition(filled, "Ready", true));
    h.awaitEvent("held", "CapacityReleased");
    assertEquals(6, members(h, "held").size());
    assertEquals(6, h.runtime().sandboxCount());
  }
}
