package io.neuraltrader.e2b.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.SimulatedClock;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.testing.FakeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The expectations gate, driving {@link PoolReconciler#reconcile} directly against the in-memory API (no
 * operator running) with a context whose cache is stale: the real client creates members, the cache lags.
 */
class PoolExpectationsTest {
  private static final String NS = "default";
  private InMemoryKubernetes kube;
  private KubernetesClient client;
  private SimulatedClock clock;
  private PoolReconciler reconciler;

  @BeforeEach
  void start() {
    kube = new InMemoryKubernetes();
    client = kube.client();
    clock = SimulatedClock.frozenAt(Instant.parse("2026-03-02T14:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    reconciler = new PoolReconciler(client, new PoolClaims(client, clock, registry),
        new EventRecorder(client, clock, "test"), clock, registry);
    kube.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: gate}
        spec: {replicas: 3, maxSandboxes: 10}
        """, NS);
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private List<E2BSandbox> members() {
    return client.resources(E2BSandbox.class).inNamespace(NS).withLabel(ApiConstants.LABEL_POOL, "gate")
        .list().getItems();
  }

  /** Reconciles the latest stored pool, as the operator would after each event. */
  private SandboxPool reconcile(Context<SandboxPool> context) {
    SandboxPool pool = client.resources(SandboxPool.class).inNamespace(NS).withName("gate").get();
    reconciler.reconcile(pool, context);
    return client.resources(SandboxPool.class).inNamespace(NS).withName("gate").get();
  }

  @Test
  void twentyQuickReconcilesWithACacheThatShowsNothingCreateExactlyReplicas() {
    SandboxPool pool = null;
    for (int i = 0; i < 20; i++) {
      pool = reconcile(FakeContext.empty());
    }
    assertEquals(3, members().size(), "creates in flight count until the cache shows them");
    assertEquals(3, pool.getStatus().getReplicas());
    assertEquals(3, pool.getStatus().getCreating());
    assertEquals(0, pool.getStatus().getReadyReplicas());
  }

  @Test
  void aCacheThatCatchesUpLateNeverCausesOverCreation() {
    // The cache shows the API as it was several reconciles ago, and only refreshes every fifth reconcile.
    AtomicReference<List<E2BSandbox>> snapshot = new AtomicReference<>(List.of());
    AtomicInteger calls = new AtomicInteger();
    Context<SandboxPool> slow = FakeContext.of(kind -> {
      if (kind != E2BSandbox.class) {
        return Set.of();
      }
      List<E2BSandbox> shown = snapshot.get();
      if (calls.incrementAndGet() % 5 == 0) {
        snapshot.set(members());
      }
      return shown;
    });
    Set<String> everCreated = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      reconcile(slow);
      members().forEach(m -> everCreated.add(m.getMetadata().getName()));
    }
    assertEquals(3, everCreated.size(), "exactly replicas members were ever created: " + everCreated);
    assertEquals(3, members().size());
    // Once the cache shows everything, the numbers are observed ones and nothing more is created.
    SandboxPool pool = reconcile(FakeContext.of(kind -> kind == E2BSandbox.class ? members() : Set.of()));
    assertEquals(3, members().size());
    assertEquals(3, pool.getStatus().getReplicas());
    assertEquals(3, pool.getStatus().getCreating(), "members not Running yet are creating");
  }

  @Test
  void aMemberTheCacheNeverShowedIsReplacedOnlyAfterTheExpectationTimesOut() {
    reconcile(FakeContext.empty());
    List<String> first = members().stream().map(m -> m.getMetadata().getName()).toList();
    assertEquals(3, first.size());
    // Created and deleted before the cache ever showed them.
    first.forEach(n -> client.resources(E2BSandbox.class).inNamespace(NS).withName(n).delete());
    await(() -> members().isEmpty());

    clock.advance(PoolReconciler.EXPECTATION_TIMEOUT.minusSeconds(1));
    reconcile(FakeContext.empty());
    assertEquals(0, members().size(), "still expected: a stale cache must not cause a second create");

    clock.advance(Duration.ofSeconds(1));
    reconcile(FakeContext.empty());
    List<E2BSandbox> replaced = members();
    assertEquals(3, replaced.size(), "expectations end after the timeout so the pool is not stuck");
    assertTrue(replaced.stream().noneMatch(m -> first.contains(m.getMetadata().getName())));
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition);
  }
}
