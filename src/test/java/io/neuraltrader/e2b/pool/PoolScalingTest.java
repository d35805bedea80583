package io.neuraltrader.e2b.pool;

import static io.neuraltrader.e2b.pool.Pools.awaitPool;
import static io.neuraltrader.e2b.pool.Pools.members;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool follows spec.replicas (scale subresource), schedules and maxWarmAge; deleting it cleans up. */
class PoolScalingTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /** What {@code kubectl scale sbpool NAME --replicas=N} (or an HPA) changes: spec.replicas only. */
  private void scale(String name, int replicas) {
    h.client().resources(SandboxPool.class).inNamespace(h.namespace()).withName(name)
        .edit(p -> {
          p.getSpec().setReplicas(replicas);
          return p;
        });
  }

  @Test
  void scalingSpecReplicasIsFollowedAndStatusCountsWarmReadyClaimed() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: scaled}
        spec: {replicas: 2, maxSandboxes: 6}
        """);
    awaitPool(h, "scaled", p -> Pools.status(p, 2, 2, 0, 0));

    scale("scaled", 5);
    SandboxPool up = awaitPool(h, "scaled", p -> Pools.status(p, 5, 5, 0, 0));
    assertEquals(5, up.getStatus().getDesiredReplicas());
    assertEquals(up.getMetadata().getGeneration(), up.getStatus().getObservedGeneration());
    assertTrue(Pools.condition(up, "Ready", true));
    assertEquals(5, members(h, "scaled").size());

    var agent = Pools.agent(h, "agent");
    h.operator().claims().claim(h.namespace(), "scaled", agent).orElseThrow();
    SandboxPool refilled = awaitPool(h, "scaled", p -> Pools.status(p, 5, 5, 1, 0));
    assertTrue(Pools.condition(refilled, "ScalingLimited", false), "6 members fit the cap of 6");

    scale("scaled", 1);
    SandboxPool down = awaitPool(h, "scaled", p -> Pools.status(p, 1, 1, 1, 0)
        && p.getStatus().getObservedGeneration().equals(p.getMetadata().getGeneration()));
    assertEquals(1, down.getStatus().getDesiredReplicas());
    await().atMost(Duration.ofSeconds(20)).until(() -> members(h, "scaled").size() == 2);
    assertEquals(1, members(h, "scaled").stream().filter(m -> m.getSpec().getClaimRef() != null).count(),
        "scaling down never removes a claimed member");
    await().atMost(Duration.ofSeconds(20)).until(() -> h.runtime().sandboxCount() == 2);
    assertTrue(h.hasEvent("scaled", "MembersRemoved"));
  }

  @Test
  void deletingThePoolDeletesItsMembersAndKillsTheirSandboxes() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: doomed}
        spec: {replicas: 2, maxSandboxes: 4}
        """);
    awaitPool(h, "doomed", p -> Pools.status(p, 2, 2, 0, 0));
    h.operator().claims().claim(h.namespace(), "doomed", Pools.agent(h, "agent")).orElseThrow();
    awaitPool(h, "doomed", p -> Pools.status(p, 2, 2, 1, 0));
    assertEquals(3, h.runtime().sandboxCount());

    h.client().resources(SandboxPool.class).inNamespace(h.namespace()).withName("doomed").delete();
    h.awaitGone(SandboxPool.class, "doomed");
    await().atMost(Duration.ofSeconds(20)).until(() -> members(h, "doomed").isEmpty());
    await().atMost(Duration.ofSeconds(20)).until(() -> h.runtime().sandboxCount() == 0);
  }

  @Test
  void staleWarmMembersAreReplacedWithoutTheReadyCountDipping() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: aging}
        spec:
          replicas: 2
          maxSandboxes: 5
          maxWarmAge: 10m
          template: {spec: {timeoutSeconds: 3600}}
        """);
    awaitPool(h, "aging", p -> Pools.status(p, 2, 2, 0, 0));
    Set<String> original = members(h, "aging").stream().map(m -> m.getMetadata().getName())
        .collect(Collectors.toSet());
    assertEquals(2, original.size());

    // Follow every change of the members, in order, and track how many are warm, Running and not leaving.
    Map<String, E2BSandbox> seen = new ConcurrentHashMap<>();
    members(h, "aging").forEach(m -> seen.put(m.getMetadata().getName(), m));
    AtomicInteger lowest = new AtomicInteger(readyWarm(seen));
    try (Watch ignored = h.client().resources(E2BSandbox.class).inNamespace(h.namespace())
        .withLabel(ApiConstants.LABEL_POOL, "aging").watch(new Watcher<>() {
          @Override
          public synchronized void eventReceived(Action action, E2BSandbox m) {
            if (action == Action.DELETED) {
              seen.remove(m.getMetadata().getName());
            } else {
              seen.put(m.getMetadata().getName(), m);
            }
            lowest.accumulateAndGet(readyWarm(seen), Math::min);
          }

          @Override
          public void onClose(WatcherException cause) {
          }
        })) {
      h.advance(Duration.ofMinutes(10));
      SandboxPool renewed = awaitPool(h, "aging", p -> Pools.status(p, 2, 2, 0, 0)
          && members(h, "aging").stream().noneMatch(m -> original.contains(m.getMetadata().getName())));
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.keySet().stream().noneMatch(original::contains));
      assertEquals(2, members(h, "aging").size());
      assertEquals(2, lowest.get(), "under the cap, stale members leave only once their replacements are ready");
      assertTrue(Pools.condition(renewed, "Ready", true));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> h.runtime().sandboxCount() == 2);
  }

  private static int readyWarm(Map<String, E2BSandbox> members) {
    return (int) members.values().stream().filter(Pools::isWarm).filter(Pools::isRunning)
        .filter(m -> m.getMetadata().getDeletionTimestamp() == null).count();
  }

  @Test
  void aMarketHoursWindowOverridesReplicasWhileOpen() {
    // The harness clock starts Monday 2026-03-02 09:00 in New York.
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: market}
        spec:
          replicas: 1
          maxSandboxes: 6
          template: {spec: {timeoutSeconds: 86400}}
          schedules:
          - {name: regular-hours, timezone: America/New_York, days: [Mon-Fri], start: "09:30", end: "16:00", replicas: 4}
        """);
    SandboxPool before = awaitPool(h, "market", p -> Pools.status(p, 1, 1, 0, 0));
    assertNull(before.getStatus().getActiveSchedule());
    assertEquals(Instant.parse("2026-03-02T14:30:00Z"), Times.parse(before.getStatus().getNextTransitionAt()));

    h.advance(Duration.ofMinutes(30));
    SandboxPool open = awaitPool(h, "market", p -> Pools.status(p, 4, 4, 0, 0));
    assertEquals("regular-hours", open.getStatus().getActiveSchedule());
    assertEquals(4, open.getStatus().getDesiredReplicas());
    assertEquals(Instant.parse("2026-03-02T21:00:00Z"), Times.parse(open.getStatus().getNextTransitionAt()));
    assertEquals(4, members(h, "market").size());

    h.advance(Duration.ofHours(6).plusMinutes(30));
    SandboxPool closed = awaitPool(h, "market", p -> Pools.status(p, 1, 1, 0, 0)
        && p.getStatus().getActiveSchedule() == null);
    assertEquals(1, closed.getStatus().getDesiredReplicas());
    assertEquals(Instant.parse("2026-03-03T14:30:00Z"), Times.parse(closed.getStatus().getNextTransitionAt()));
    await().atMost(Duration.ofSeconds(20)).until(() -> members(h, "market").size() == 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> h.runtime().sandboxCount() == 1);
    assertTrue(h.hasEvent("market", "MembersRemoved"));
  }
}
