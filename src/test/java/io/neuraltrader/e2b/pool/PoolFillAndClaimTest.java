package io.neuraltrader.e2b.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pool fills to its warm count, a claim binds a member without any E2B call, and the pool refills. */
class PoolFillAndClaimTest {
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
  void fillsClaimsWithoutE2BAndRefills() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: warm}
        spec: {replicas: 3, maxSandboxes: 5}
        """);
    SandboxPool pool = h.awaitResource(SandboxPool.class, "warm",
        p -> p.getStatus() != null && p.getStatus().getReadyReplicas() != null && p.getStatus().getReadyReplicas() == 3);
    assertEquals(3, h.runtime().sandboxCount());
    assertEquals("e2b.neuraltrader.io/pool=warm,e2b.neuraltrader.io/pool-state=warm", pool.getStatus().getSelector());

    TradingAgent claimer = h.client().resource(Pools.claimer("agent-1", h.namespace())).create();
    h.runtime().resetCounts();
    Optional<E2BSandbox> member = h.operator().claims().claim(h.namespace(), "warm", claimer);
    assertTrue(member.isPresent());
    assertEquals(0, h.runtime().requestCount(ServedOperation.CREATE) + h.runtime().requestCount(ServedOperation.GET),
        "a claim costs no E2B call");
    assertEquals(ApiConstants.POOL_STATE_CLAIMED, member.get().getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE));
    assertEquals(claimer.getMetadata().getUid(), member.get().getSpec().getClaimRef().getUid());

    h.awaitResource(SandboxPool.class, "warm", p -> p.getStatus().getClaimed() == 1 && p.getStatus().getReadyReplicas() == 3);
    assertEquals(4, h.runtime().sandboxCount());
    assertEquals(member.get().getMetadata().getName(),
        h.operator().claims().claim(h.namespace(), "warm", claimer).orElseThrow().getMetadata().getName(),
        "claiming again returns the member already bound");
  }
}
