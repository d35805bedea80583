package io.neuraltrader.e2b.pool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An E2B account at its concurrent-sandbox limit holds the pool (condition, event) instead of hammering E2B. */
class PoolAccountLimitTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start(rc -> rc.maxConcurrentSandboxes(2), c -> c);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void holdsAtTheAccountLimitWithoutRetryingHot() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: capped}
        spec: {replicas: 4, maxSandboxes: 4}
        """);
    SandboxPool pool = h.awaitResource(SandboxPool.class, "capped", p -> p.getStatus() != null
        && Conditions.isTrue(p.getStatus().getConditions(), "CapacityHeld"));
    assertEquals("CapacityExceeded", Conditions.reason(pool.getStatus().getConditions(), "CapacityHeld"));
    h.awaitEvent("capped", "CapacityHeld");
    h.awaitResource(SandboxPool.class, "capped", p -> p.getStatus().getReadyReplicas() == 2);
    assertEquals(2, h.runtime().sandboxCount());
    long creates = h.runtime().requestCount(ServedOperation.CREATE);
    // With the clock standing still, nobody retries: members back off on the operator's clock.
    await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
        .until(() -> h.runtime().requestCount(ServedOperation.CREATE) == creates);
    assertTrue(creates <= 4, "one attempt per member, got " + creates);
  }
}
