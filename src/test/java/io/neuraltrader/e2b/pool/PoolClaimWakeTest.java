package io.neuraltrader.e2b.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A claimer waiting for a member is woken by the membership change itself: the simulated clock never moves
 * here, so no wakeup or poll on the operator's clock can be what brings the claim.
 */
class PoolClaimWakeTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private void agent(String name) {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: %s}
        spec:
          strategy: momentum
          symbols: [AAPL]
          parameters: {period: 5, threshold: 0.01}
          interval: 10s
          marketData: {type: synthetic, seed: 3}
          sandbox: {poolRef: {name: small}}
        """.formatted(name));
  }

  private TradingAgent awaitBound(String name) {
    return h.awaitResource(TradingAgent.class, name, a -> a.getStatus() != null
        && a.getStatus().getSandboxRef() != null, WAIT);
  }

  private void awaitWaiting(String name) {
    h.awaitResource(TradingAgent.class, name, a -> a.getStatus() != null
        && a.getStatus().getPhase() == AgentPhase.WaitingForSandbox, WAIT);
  }

  @Test
  void theBindingIsWrittenBeforeTheFirstTick() throws Exception {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: small}
        spec: {replicas: 1, maxSandboxes: 2}
        """);
    Pools.awaitPool(h, "small", p -> Pools.status(p, 1, 1, 0, 0));
    // Every status the agent goes through, as a watcher sees them.
    java.util.List<io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus> seen =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var watch = h.client().resources(TradingAgent.class).inNamespace(h.namespace()).withName("eager")
        .watch(new io.fabric8.kubernetes.client.Watcher<TradingAgent>() {
          @Override
          public void eventReceived(Action action, TradingAgent agent) {
            if (agent.getStatus() != null) {
              seen.add(agent.getStatus());
            }
          }

          @Override
          public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            // closed by the test
          }
        })) {
      agent("eager");
      h.awaitResource(TradingAgent.class, "eager", a -> a.getStatus() != null && a.getStatus().getRuns() != null
          && a.getStatus().getRuns() >= 1, WAIT);
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> seen.stream()
          .anyMatch(st -> st.getRuns() != null && st.getRuns() >= 1));
    }
    var firstBound = seen.stream().filter(st -> st.getSandboxRef() != null).findFirst().orElseThrow();
    org.junit.jupiter.api.Assertions.assertTrue(firstBound.getRuns() == null || firstBound.getRuns() == 0,
        "bound before the tick ran, not after: runs " + firstBound.getRuns());
    assertEquals(null, firstBound.getLastRunAt());
    assertEquals(AgentPhase.Running, firstBound.getPhase());
  }

  @Test
  void aMemberGivenBackOrAddedWakesTheWaitingClaimerAtOnce() {
    Instant frozen = h.clock().instant();
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: small}
        spec: {replicas: 1, maxSandboxes: 1, releasePolicy: Recycle}
        """);
    Pools.awaitPool(h, "small", p -> Pools.status(p, 1, 1, 0, 0));
    agent("first");
    String member = awaitBound("first").getStatus().getSandboxRef();
    // The pool is at its cap with its only member claimed: the next claimer waits.
    agent("second");
    awaitWaiting("second");

    // The first agent goes; its member returns to the warm set and the waiting claimer takes it.
    h.client().resource(h.get(TradingAgent.class, "first")).delete();
    TradingAgent second = awaitBound("second");
    assertEquals(member, second.getStatus().getSandboxRef(), "the recycled member went to the waiting claimer");
    assertEquals(second.getMetadata().getUid(), h.get(E2BSandbox.class, member).getSpec().getClaimRef().getUid());

    // Growing the pool: the new member turning Running wakes the next waiting claimer.
    agent("third");
    awaitWaiting("third");
    SandboxPool pool = h.get(SandboxPool.class, "small");
    pool.getSpec().setReplicas(1);
    pool.getSpec().setMaxSandboxes(2);
    h.client().resource(pool).update();
    TradingAgent third = awaitBound("third");
    assertNotEquals(member, third.getStatus().getSandboxRef());
    assertEquals(frozen, h.clock().instant(), "nothing moved the operator's clock");
  }
}
