package io.neuraltrader.e2b.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.ApiFaults;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 409 Conflicts on status writes and claims are retried; concurrent claimers never share a member. */
class KubernetesConflictsTest {
  private static final String BASE = "/apis/e2b.neuraltrader.io/v1alpha1/namespaces/default/";
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static boolean path(String actual, String expected) {
    String p = actual.contains("?") ? actual.substring(0, actual.indexOf('?')) : actual;
    return p.equals(expected);
  }

  @Test
  void injectedConflictsOnStatusWritesAreRetriedAndNeverCauseASecondSandbox() {
    ApiFaults api = ApiFaults.install(h.kubernetes().server());
    // Three conflicts fit in one status write's retries; twelve make whole reconciles fail and retry.
    ApiFaults.Rule few = api.conflict("PUT", p -> path(p, BASE + "e2bsandboxes/few/status"), 3);
    ApiFaults.Rule many = api.conflict("PUT", p -> path(p, BASE + "e2bsandboxes/many/status"), 12);
    ApiFaults.Rule pool = api.conflict("PUT", p -> path(p, BASE + "sandboxpools/warm/status"), 6);
    ApiFaults.Rule agent = api.conflict("PUT", p -> path(p, BASE + "tradingagents/trader/status"), 6);

    Estate.applySandboxes(h, 0, 0);
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: few}
        spec: {}
        ---
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: many}
        spec: {}
        ---
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: warm}
        spec: {replicas: 2, maxSandboxes: 5}
        ---
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: trader}
        spec:
          strategy: momentum
          symbols: [AAPL]
          interval: 10s
          sandbox: {poolRef: {name: warm}}
        """);
    Estate.advanceUntil(h, Duration.ofSeconds(1), Duration.ofSeconds(60), () -> {
      E2BSandbox f = h.get(E2BSandbox.class, "few");
      E2BSandbox m = h.get(E2BSandbox.class, "many");
      SandboxPool p = h.get(SandboxPool.class, "warm");
      TradingAgent a = h.get(TradingAgent.class, "trader");
      return running(f) && running(m) && p.getStatus() != null && Integer.valueOf(2).equals(p.getStatus().getReadyReplicas())
          && Integer.valueOf(1).equals(p.getStatus().getClaimed()) && a.getStatus() != null
          && a.getStatus().getPhase() == AgentPhase.Running && a.getStatus().getRuns() != null
          && a.getStatus().getRuns() >= 1;
    }, () -> List.of(h.get(E2BSandbox.class, "few").getStatus(), h.get(E2BSandbox.class, "many").getStatus(),
        h.get(SandboxPool.class, "warm").getStatus(), h.get(TradingAgent.class, "trader").getStatus()));

    assertEquals(3, few.served(), "the conflicts were injected");
    assertEquals(12, many.served());
    assertEquals(6, pool.served());
    assertEquals(6, agent.served());
    assertEquals(h.get(E2BSandbox.class, "few").getMetadata().getGeneration(),
        h.get(E2BSandbox.class, "few").getStatus().getObservedGeneration());
    Estate.advanceUntil(h, Duration.ofSeconds(1), Duration.ofSeconds(30), () -> Estate.account(h).exact(),
        () -> Estate.account(h));
    assertEquals(5, Estate.account(h).sandboxes(), "few, many, two warm members and the claimed one");
    assertTrue(Estate.statusMismatches(h).isEmpty(), Estate.statusMismatches(h).toString());
  }

  private static boolean running(E2BSandbox s) {
    return s != null && s.getStatus() != null && s.getStatus().getPhase() == SandboxPhase.Running
        && s.getStatus().getSandboxID() != null;
  }

  @Test
  void conflictingClaimUpdatesMoveOnAndTheAgentStillGetsExactlyOneMember() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: warm}
        spec: {replicas: 3, maxSandboxes: 6}
        """);
    h.awaitResource(SandboxPool.class, "warm", p -> p.getStatus() != null
        && Integer.valueOf(3).equals(p.getStatus().getReadyReplicas()));
    ApiFaults api = ApiFaults.install(h.kubernetes().server());
    // Every member's first claim update conflicts, as if another claimer had won it.
    ApiFaults.Rule claims = api.conflict("PUT", p -> p.contains("/e2bsandboxes/warm-") && !p.contains("/status"), 4);
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: trader}
        spec:
          strategy: momentum
          symbols: [AAPL]
          interval: 10s
          sandbox: {poolRef: {name: warm}}
        """);
    Estate.advanceUntil(h, Duration.ofSeconds(1), Duration.ofSeconds(60), () -> {
      TradingAgent a = h.get(TradingAgent.class, "trader");
      return a.getStatus() != null && a.getStatus().getRuns() != null && a.getStatus().getRuns() >= 1;
    }, () -> h.get(TradingAgent.class, "trader").getStatus());
    assertEquals(4, claims.served(), "claim updates conflicted");
    TradingAgent a = h.get(TradingAgent.class, "trader");
    List<E2BSandbox> mine = Estate.list(h, E2BSandbox.class).stream().filter(s -> s.getSpec().getClaimRef() != null
        && a.getMetadata().getUid().equals(s.getSpec().getClaimRef().getUid())).toList();
    assertEquals(1, mine.size(), "exactly one member claimed");
    assertEquals(a.getStatus().getSandboxRef(), mine.get(0).getMetadata().getName());
  }

  @Test
  void concurrentClaimersNeverShareAMember() throws Exception {
    int claimers = 12;
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: warm}
        spec: {replicas: 4, maxSandboxes: 20}
        """);
    List<TradingAgent> agents = new ArrayList<>();
    for (int i = 0; i < claimers; i++) {
      // Agents whose spec the operator refuses (interval below 1s) neither claim nor release on their own,
      // and the pool keeps their claims (they exist): only the threads below claim.
      agents.add((TradingAgent) h.apply("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: TradingAgent
          metadata: {name: claimer-%02d}
          spec: {strategy: momentum, symbols: [AAPL], interval: 10ms, sandbox: {poolRef: {name: warm}}}
          """.formatted(i)).get(0));
    }
    Map<String, String> memberByClaimer = new HashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    try {
      for (int round = 0; round < 30 && memberByClaimer.size() < claimers; round++) {
        Estate.advanceUntil(h, Duration.ofSeconds(1), Duration.ofSeconds(30), () -> warmRunning() >= 1,
            () -> "no warm member");
        List<Future<Optional<E2BSandbox>>> results = new ArrayList<>();
        List<TradingAgent> waiting = agents.stream()
            .filter(a -> !memberByClaimer.containsKey(a.getMetadata().getUid())).toList();
        for (TradingAgent a : waiting) {
          Callable<Optional<E2BSandbox>> claim = () -> h.operator().claims().claim("default", "warm", a);
          results.add(pool.submit(claim));
        }
        for (int i = 0; i < waiting.size(); i++) {
          Optional<E2BSandbox> got = results.get(i).get(30, TimeUnit.SECONDS);
          if (got.isPresent()) {
            String uid = waiting.get(i).getMetadata().getUid();
            assertEquals(uid, got.get().getSpec().getClaimRef().getUid(), "the member names its claimer");
            memberByClaimer.put(uid, got.get().getMetadata().getName());
          }
        }
        assertEquals(memberByClaimer.size(), new HashSet<>(memberByClaimer.values()).size(),
            "no member was handed to two claimers: " + memberByClaimer);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(claimers, memberByClaimer.size(), "every claimer got a member eventually");
    // What is stored agrees: each claimed member names one claimer, each claimer has one member.
    Map<String, Integer> perClaimer = new HashMap<>();
    for (E2BSandbox s : Estate.list(h, E2BSandbox.class)) {
      if (s.getSpec().getClaimRef() != null) {
        assertEquals(ApiConstants.POOL_STATE_CLAIMED, s.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE));
        perClaimer.merge(s.getSpec().getClaimRef().getUid(), 1, Integer::sum);
        assertEquals(s.getMetadata().getName(), memberByClaimer.get(s.getSpec().getClaimRef().getUid()));
      }
    }
    assertEquals(claimers, perClaimer.size());
    assertTrue(perClaimer.values().stream().allMatch(n -> n == 1), perClaimer.toString());
    long creates = h.runtime().requestCount(ServedOperation.CREATE);
    long members = Estate.list(h, E2BSandbox.class).size();
    assertTrue(creates <= members + countRecreates(), "claims cost no E2B create: " + creates + " creates for "
        + members + " members");
  }

  private long warmRunning() {
    return Estate.list(h, E2BSandbox.class).stream()
        .filter(s -> ApiConstants.POOL_STATE_WARM.equals(s.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE)))
        .filter(s -> s.getStatus() != null && s.getStatus().getPhase() == SandboxPhase.Running).count();
  }

  private long countRecreates() {
    return Estate.list(h, E2BSandbox.class).stream()
        .mapToLong(s -> s.getStatus() == null || s.getStatus().getRestarts() == null ? 0 : s.getStatus().getRestarts())
        .sum();
  }

  @Test
  void userEditsRacingStatusWritesNeitherBlockConvergenceNorGetOverwritten() {
    Estate estate = new Estate(8, 2, 3, 2);
    estate.applyAll(h);
    AtomicInteger edits = new AtomicInteger();
    ScheduledExecutorService editor = Executors.newSingleThreadScheduledExecutor();
    Set<String> kinds = new HashSet<>();
    try {
      editor.scheduleWithFixedDelay(() -> {
        try {
          int n = edits.incrementAndGet();
          for (E2BSandbox s : Estate.list(h, E2BSandbox.class)) {
            h.client().resource(s).edit(x -> {
              x.getMetadata().getAnnotations().put("example.com/touched", Integer.toString(n));
              return x;
            });
            kinds.add("E2BSandbox");
          }
          for (TradingAgent a : Estate.list(h, TradingAgent.class)) {
            h.client().resource(a).edit(x -> {
              x.getMetadata().getLabels().put("touched", Integer.toString(n));
              return x;
            });
            kinds.add("TradingAgent");
          }
          for (SandboxPool p : Estate.list(h, SandboxPool.class)) {
            h.client().resource(p).edit(x -> {
              x.getMetadata().getAnnotations().put("example.com/touched", Integer.toString(n));
              return x;
            });
            kinds.add("SandboxPool");
          }
        } catch (RuntimeException e) {
          // a resource deleted or changed between list and edit: the next round edits it again
        }
      }, 0, 20, TimeUnit.MILLISECONDS);
      Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(120), () -> estate.pending(h, 2, 2).isEmpty(),
          () -> estate.pending(h, 2, 2));
    } finally {
      editor.shutdownNow();
    }
    assertTrue(edits.get() >= 3, "the editor raced the operator: " + edits.get() + " rounds");
    assertEquals(Set.of("E2BSandbox", "TradingAgent", "SandboxPool"), kinds);
    // The operator's writes never reverted the user's metadata.
    Estate.advanceUntil(h, Duration.ofSeconds(1), Duration.ofSeconds(20), () -> Estate.list(h, E2BSandbox.class)
        .stream().allMatch(s -> s.getMetadata().getAnnotations().containsKey("example.com/touched")
            || s.getMetadata().getCreationTimestamp() == null), () -> "annotations");
    for (TradingAgent a : Estate.list(h, TradingAgent.class)) {
      assertNotNull(a.getMetadata().getLabels().get("touched"), a.getMetadata().getName());
    }
    Estate.advanceUntil(h, Duration.ofSeconds(1), Duration.ofSeconds(30), () -> Estate.account(h).exact(),
        () -> Estate.account(h));
    assertEquals(estate.expectedSandboxes(2, 2), Estate.account(h).sandboxes());
  }
}
