package io.neuraltrader.e2b.pool;

import static io.neuraltrader.e2b.pool.Pools.awaitPool;
import static io.neuraltrader.e2b.pool.Pools.members;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.ReleasePolicy;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claims through the running operator: one optimistic-lock update, never shared, released per policy. */
class PoolClaimsTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private void pool(String name, int replicas, int max, ReleasePolicy policy) {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: %s}
        spec: {replicas: %d, maxSandboxes: %d, releasePolicy: %s}
        """.formatted(name, replicas, max, policy));
    awaitPool(h, name, p -> Pools.status(p, replicas, replicas, 0, 0));
  }

  @Test
  void twentyConcurrentClaimersOfTenWarmMembersNeverShareOne() throws Exception {
    pool("race", 10, 10, ReleasePolicy.Delete);
    List<TradingAgent> agents = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      agents.add(Pools.agent(h, "agent-" + i));
    }
    long timerBefore = Pools.claimTimerCount(h);
    h.runtime().resetCounts();

    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<Optional<E2BSandbox>>> results = new ArrayList<>();
    try {
      for (TradingAgent agent : agents) {
        results.add(pool.submit(() -> {
          gate.await();
          return h.operator().claims().claim(h.namespace(), "race", agent);
        }));
      }
      gate.countDown();
      List<E2BSandbox> won = new ArrayList<>();
      int empty = 0;
      for (Future<Optional<E2BSandbox>> f : results) {
        Optional<E2BSandbox> r = f.get(30, TimeUnit.SECONDS);
        if (r.isPresent()) {
          won.add(r.get());
        } else {
          empty++;
        }
      }
      assertEquals(10, won.size(), "every warm member is claimed");
      assertEquals(10, empty, "the other claimers get nothing and wait");
      Set<String> names = new HashSet<>();
      won.forEach(m -> names.add(m.getMetadata().getName()));
      assertEquals(10, names.size(), "no member was handed to two claimers");
      for (int i = 0; i < results.size(); i++) {
        Optional<E2BSandbox> r = results.get(i).get();
        if (r.isPresent()) {
          // The stored member names this claimer, and only this one.
          E2BSandbox stored = h.get(E2BSandbox.class, r.get().getMetadata().getName());
          String uid = agents.get(i).getMetadata().getUid();
          assertEquals(uid, stored.getSpec().getClaimRef().getUid());
          assertEquals(ApiConstants.POOL_STATE_CLAIMED,
              stored.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE));
          assertEquals(1, stored.getMetadata().getOwnerReferences().stream()
              .filter(o -> o.getUid().equals(uid)).count());
          assertTrue(stored.getMetadata().getOwnerReferences().stream()
              .anyMatch(o -> "SandboxPool".equals(o.getKind()) && Boolean.TRUE.equals(o.getController())));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, h.runtime().requestCount(ServedOperation.CREATE), "claims cost no E2B call");
    assertEquals(timerBefore + 10, Pools.claimTimerCount(h), "claim latency recorded per successful claim");
    assertTrue(h.operator().registry().scrape().contains("e2b_pool_claim_seconds_bucket"),
        "claim latency is a Prometheus histogram");
    // At the cap, the pool cannot refill: status says so.
    SandboxPool p = awaitPool(h, "race", s -> Pools.status(s, 0, 0, 10, 0));
    assertTrue(Pools.condition(p, "ScalingLimited", true));
    assertEquals(0, h.runtime().requestCount(ServedOperation.CREATE));
  }

  @Test
  void releaseWithDeleteKillsTheSandboxAndThePoolRefills() {
    pool("del", 2, 4, ReleasePolicy.Delete);
    TradingAgent agent = Pools.agent(h, "agent");
    long timerBefore = Pools.claimTimerCount(h);
    E2BSandbox member = h.operator().claims().claim(h.namespace(), "del", agent).orElseThrow();
    assertEquals(timerBefore + 1, Pools.claimTimerCount(h));
    assertEquals(member.getMetadata().getName(), h.operator().claims()
        .claim(h.namespace(), "del", agent).orElseThrow().getMetadata().getName());
    assertEquals(timerBefore + 1, Pools.claimTimerCount(h), "asking again for the bound member is no new claim");
    String sandboxId = member.getStatus().getSandboxID();
    assertNotNull(sandboxId);
    awaitPool(h, "del", p -> Pools.status(p, 2, 2, 1, 0));

    assertEquals(ReleasePolicy.Delete, h.operator().claims().policyOf(member));
    h.operator().claims().release(member, ReleasePolicy.Delete);
    h.awaitGone(E2BSandbox.class, member.getMetadata().getName());
    assertFalse(Pools.sandboxExists(h, sandboxId), "the released member's sandbox is killed");
    awaitPool(h, "del", p -> Pools.status(p, 2, 2, 0, 0));
    assertEquals(2, members(h, "del").size());
    assertEquals(2, h.runtime().sandboxCount());
  }

  @Test
  void releaseWithRecycleReturnsTheSameSandboxToTheWarmSet() {
    pool("rec", 1, 3, ReleasePolicy.Recycle);
    TradingAgent agent = Pools.agent(h, "agent");
    // The refill after the claim is then strictly newer than the claimed member (the clock is frozen).
    h.advance(Duration.ofSeconds(1));
    E2BSandbox member = h.operator().claims().claim(h.namespace(), "rec", agent).orElseThrow();
    String name = member.getMetadata().getName();
    String sandboxId = member.getStatus().getSandboxID();
    awaitPool(h, "rec", p -> Pools.status(p, 1, 1, 1, 0));

    E2BSandbox recycled = h.operator().claims().release(member, h.operator().claims().policyOf(member));
    assertNotNull(recycled);
    assertEquals(name, recycled.getMetadata().getName());
    assertTrue(Pools.isWarm(recycled));
    assertNull(recycled.getSpec().getClaimRef());
    assertEquals(sandboxId, recycled.getStatus().getSandboxID(), "the same sandbox goes back to the pool");
    assertTrue(recycled.getMetadata().getOwnerReferences().stream()
        .noneMatch(o -> o.getUid().equals(agent.getMetadata().getUid())), "the claimer's owner reference is gone");
    assertTrue(recycled.getMetadata().getOwnerReferences().stream().anyMatch(o -> "SandboxPool".equals(o.getKind())));
    // Two warm members for one desired: the newer refill goes, the recycled (older) one stays, warm.
    awaitPool(h, "rec", p -> Pools.status(p, 1, 1, 0, 0));
    await().atMost(Duration.ofSeconds(20)).until(() -> members(h, "rec").size() == 1);
    assertEquals(name, members(h, "rec").get(0).getMetadata().getName());
    assertTrue(Pools.isWarm(members(h, "rec").get(0)));
    assertEquals(sandboxId, members(h, "rec").get(0).getStatus().getSandboxID());
    assertTrue(Pools.sandboxExists(h, sandboxId));
    // And it can be claimed again.
    TradingAgent next = Pools.agent(h, "next");
    assertEquals(name, h.operator().claims().claim(h.namespace(), "rec", next).orElseThrow()
        .getMetadata().getName());
  }

  @Test
  void membersOfADeletedClaimerAreReleasedByThePool() {
    pool("gone", 1, 3, ReleasePolicy.Delete);
    TradingAgent agent = Pools.agent(h, "doomed");
    E2BSandbox member = h.operator().claims().claim(h.namespace(), "gone", agent).orElseThrow();
    String sandboxId = member.getStatus().getSandboxID();
    awaitPool(h, "gone", p -> Pools.status(p, 1, 1, 1, 0));
    assertFalse(h.hasEvent("gone", "ClaimReleased"), "a live claimer keeps its member");

    h.client().resource(agent).delete();
    // The agent's finalizer gives the member back (SandboxReleased); had the agent vanished without it, the
    // pool would release the abandoned claim itself (ClaimReleased). Either way the member goes.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(40))
        .until(() -> h.hasEvent("doomed", "SandboxReleased") || h.hasEvent("gone", "ClaimReleased"));
    h.awaitGone(E2BSandbox.class, member.getMetadata().getName());
    assertFalse(Pools.sandboxExists(h, sandboxId));
    awaitPool(h, "gone", p -> Pools.status(p, 1, 1, 0, 0));
  }
}
