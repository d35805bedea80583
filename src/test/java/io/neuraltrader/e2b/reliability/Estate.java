package io.neuraltrader.e2b.reliability;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.SandboxSnapshot;
import io.neuraltrader.e2b.local.runtime.HostedState;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.sandbox.SandboxTags;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A mixed estate (stand-alone sandboxes, pools, agents claiming from pools or owning a sandbox, a deployment)
 * and the checks the reliability tests share: has everything converged, does E2B hold exactly one sandbox per
 * E2BSandbox resource, is everything gone after deletion.
 */
final class Estate {
  static final String POOL_A = "pool-a";
  static final String POOL_B = "pool-b";
  static final String DEPLOYMENT = "fleet";

  final int sandboxes;
  final int poolReplicas;
  final int agents;
  final int deploymentReplicas;

  Estate(int sandboxes, int poolReplicas, int agents, int deploymentReplicas) {
    this.sandboxes = sandboxes;
    this.poolReplicas = poolReplicas;
    this.agents = agents;
    this.deploymentReplicas = deploymentReplicas;
  }

  /** The estate: 30 sandboxes, 2 pools, 5 agents, 1 deployment. */
  static Estate standard() {
    return new Estate(30, 2, 5, 2);
  }

  /**
   * ~30% of E2B calls fail: 500/502/503, 429 with a 1 s Retry-After, connection resets, lost create responses,
   * and every call takes 200 ms longer.
   */
  static FaultPlan faults(double total) {
    return FaultPlan.none()
        .withErrorRate(total * 0.5)
        .withRateLimitRate(total * 0.2)
        .withRetryAfterSeconds(1)
        .withConnectionResetRate(total * 0.15)
        .withLostCreateResponseRate(total * 0.15)
        .withLatency(Duration.ofMillis(200));
  }

  static String sandboxName(int i) {
    return "sb-%03d".formatted(i);
  }

  static String agentName(int i) {
    return "agent-%02d".formatted(i);
  }

  /** Even agents claim from pool-a, odd agents own a sandbox made from a template. */
  static boolean claimsFromPool(int agent) {
    return agent % 2 == 0;
  }

  void applyAll(OperatorHarness h) {
    applySandboxes(h, 0, sandboxes);
    applyPools(h, poolReplicas);
    applyAgents(h, 0, agents);
    applyDeployment(h, deploymentReplicas);
  }

  static void applySandboxes(OperatorHarness h, int from, int to) {
    StringBuilder yaml = new StringBuilder();
    for (int i = from; i < to; i++) {
      yaml.append("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: E2BSandbox
          metadata: {name: %s, labels: {suite: reliability}}
          spec: {timeoutSeconds: 300, metadata: {index: "%d"}}
          ---
          """.formatted(sandboxName(i), i));
    }
    h.apply(yaml.toString());
  }

  static void applyPools(OperatorHarness h, int replicas) {
    for (String pool : List.of(POOL_A, POOL_B)) {
      h.apply("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: SandboxPool
          metadata: {name: %s}
          spec: {replicas: %d, maxSandboxes: 20, template: {spec: {timeoutSeconds: 300}}}
          """.formatted(pool, replicas));
    }
  }

  static void applyAgents(OperatorHarness h, int from, int to) {
    for (int i = from; i < to; i++) {
      String sandbox = claimsFromPool(i) ? "{poolRef: {name: " + POOL_A + "}}" : "{template: {timeoutSeconds: 300}}";
      h.apply("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: TradingAgent
          metadata: {name: %s}
          spec:
            strategy: momentum
            symbols: [AAPL, MSFT]
            parameters: {period: 5, threshold: 0.01}
            interval: 10s
            marketData: {type: synthetic, seed: %d}
            sandbox: %s
          """.formatted(agentName(i), 100 + i, sandbox));
    }
  }

  static void applyDeployment(OperatorHarness h, int replicas) {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BDeployment
        metadata: {name: %s}
        spec:
          replicas: %d
          scaling: {maxStep: 10, stepIntervalSeconds: 0, maxReplicas: 50, maxScaleUpFactor: 100}
          template:
            spec:
              strategy: momentum
              symbols: [NVDA]
              interval: 10s
              sandbox: {template: {timeoutSeconds: 300}}
        """.formatted(DEPLOYMENT, replicas));
  }

  static <T extends HasMetadata> List<T> list(OperatorHarness h, Class<T> kind) {
    return h.client().resources(kind).inNamespace(h.namespace()).list().getItems();
  }

  // ----- convergence -----

  /** What has not converged yet, empty when everything has. */
  List<String> pending(OperatorHarness h, int poolReplicas, int deploymentReplicas) {
    List<String> out = new ArrayList<>();
    for (E2BSandbox s : list(h, E2BSandbox.class)) {
      if (s.getMetadata().getDeletionTimestamp() != null) {
        out.add("sandbox " + s.getMetadata().getName() + " terminating");
      } else if (s.getStatus() == null || s.getStatus().getPhase() != SandboxPhase.Running
          || s.getStatus().getSandboxID() == null) {
        out.add("sandbox " + s.getMetadata().getName() + " "
            + (s.getStatus() == null ? "no status" : s.getStatus().getPhase() + " " + s.getStatus().getLastError()));
      }
    }
    long standalone = list(h, E2BSandbox.class).stream().filter(s -> s.getMetadata().getName().startsWith("sb-"))
        .count();
    if (standalone != sandboxes) {
      out.add("standalone sandboxes " + standalone + " != " + sandboxes);
    }
    for (String name : List.of(POOL_A, POOL_B)) {
      SandboxPool p = h.get(SandboxPool.class, name);
      if (p == null || p.getStatus() == null || !Objects.equals(p.getStatus().getReadyReplicas(), poolReplicas)
          || !Conditions.isTrue(p.getStatus().getConditions(), "Ready")) {
        out.add("pool " + name + " " + (p == null || p.getStatus() == null ? "no status"
            : "ready " + p.getStatus().getReadyReplicas() + " claimed " + p.getStatus().getClaimed()));
      }
    }
    for (TradingAgent a : list(h, TradingAgent.class)) {
      if (a.getStatus() == null || a.getStatus().getPhase() != AgentPhase.Running || a.getStatus().getRuns() == null
          || a.getStatus().getRuns() < 1) {
        out.add("agent " + a.getMetadata().getName() + " "
            + (a.getStatus() == null ? "no status" : a.getStatus().getPhase() + " runs " + a.getStatus().getRuns()
            + " " + a.getStatus().getLastError()));
      }
    }
    E2BDeployment d = h.get(E2BDeployment.class, DEPLOYMENT);
    if (d == null || d.getStatus() == null || !Objects.equals(d.getStatus().getReadyReplicas(), deploymentReplicas)
        || !Conditions.isTrue(d.getStatus().getConditions(), "Available")) {
      out.add("deployment " + (d == null || d.getStatus() == null ? "no status"
          : "ready " + d.getStatus().getReadyReplicas() + " available "
          + Conditions.isTrue(d.getStatus().getConditions(), "Available")));
    }
    return out;
  }

  /** Number of E2BSandbox resources the estate wants, computed from the spec, not from the cluster. */
  int expectedSandboxes(int poolReplicas, int deploymentReplicas) {
    int claimers = 0;
    for (int i = 0; i < agents; i++) {
      if (claimsFromPool(i)) {
        claimers++;
      }
    }
    int owning = agents - claimers;
    return sandboxes + 2 * poolReplicas + claimers + owning + deploymentReplicas;
  }

  // ----- leaks and duplicates -----

  /** Runtime sandboxes that are alive (running or paused). */
  static List<SandboxSnapshot> alive(OperatorHarness h) {
    return h.runtime().sandboxes().stream()
        .filter(s -> s.state() == HostedState.RUNNING || s.state() == HostedState.PAUSED).toList();
  }

  /** Compares E2B's sandboxes (by uid tag) with the E2BSandbox resources. */
  record Accounting(int resources, int sandboxes, List<String> leaked, List<String> duplicated, List<String> missing) {
    boolean exact() {
      return leaked.isEmpty() && duplicated.isEmpty() && missing.isEmpty() && resources == sandboxes;
    }
  }

  static Accounting account(OperatorHarness h) {
    Map<String, String> resourceByUid = new TreeMap<>();
    for (E2BSandbox s : list(h, E2BSandbox.class)) {
      resourceByUid.put(s.getMetadata().getUid(), s.getMetadata().getName());
    }
    List<SandboxSnapshot> alive = alive(h);
    Map<String, List<String>> byUid = alive.stream().collect(Collectors.groupingBy(
        s -> String.valueOf(s.metadata().get(SandboxTags.UID)), TreeMap::new,
        Collectors.mapping(SandboxSnapshot::sandboxId, Collectors.toList())));
    List<String> leaked = new ArrayList<>();
    List<String> duplicated = new ArrayList<>();
    byUid.forEach((uid, ids) -> {
      if (!resourceByUid.containsKey(uid)) {
        leaked.addAll(ids);
      } else if (ids.size() > 1) {
        duplicated.add(resourceByUid.get(uid) + "=" + ids);
      }
    });
    List<String> missing = resourceByUid.entrySet().stream().filter(e -> !byUid.containsKey(e.getKey()))
        .map(Map.Entry::getValue).toList();
    return new Accounting(resourceByUid.size(), alive.size(), leaked, duplicated, missing);
  }

  /** Every E2BSandbox resource's status names the one sandbox E2B holds for it. */
  static List<String> statusMismatches(OperatorHarness h) {
    Map<String, String> idByUid = alive(h).stream().collect(Collectors.toMap(
        s -> String.valueOf(s.metadata().get(SandboxTags.UID)), SandboxSnapshot::sandboxId, (a, b) -> a + "," + b));
    List<String> out = new ArrayList<>();
    for (E2BSandbox s : list(h, E2BSandbox.class)) {
      String id = s.getStatus() == null ? null : s.getStatus().getSandboxID();
      if (!Objects.equals(id, idByUid.get(s.getMetadata().getUid()))) {
        out.add(s.getMetadata().getName() + ": status " + id + ", E2B " + idByUid.get(s.getMetadata().getUid()));
      }
    }
    return out;
  }

  /** Pool claims are consistent: every pool agent holds exactly one member, no member names two agents. */
  static List<String> claimProblems(OperatorHarness h) {
    List<String> out = new ArrayList<>();
    Map<String, List<String>> membersByClaimer = new TreeMap<>();
    for (E2BSandbox s : list(h, E2BSandbox.class)) {
      if (s.getSpec().getClaimRef() != null) {
        membersByClaimer.computeIfAbsent(s.getSpec().getClaimRef().getUid(), k -> new ArrayList<>())
            .add(s.getMetadata().getName());
      }
    }
    for (TradingAgent a : list(h, TradingAgent.class)) {
      if (a.getSpec().getSandbox().getPoolRef() != null) {
        List<String> mine = membersByClaimer.getOrDefault(a.getMetadata().getUid(), List.of());
        if (mine.size() != 1 || !mine.get(0).equals(a.getStatus().getSandboxRef())) {
          out.add(a.getMetadata().getName() + " holds " + mine + ", status says " + a.getStatus().getSandboxRef());
        }
      }
    }
    return out;
  }

  // ----- deletion -----

  static void deleteAll(OperatorHarness h) {
    h.client().resources(E2BDeployment.class).inNamespace(h.namespace()).delete();
    h.client().resources(TradingAgent.class).inNamespace(h.namespace()).delete();
    h.client().resources(SandboxPool.class).inNamespace(h.namespace()).delete();
    h.client().resources(E2BSandbox.class).inNamespace(h.namespace()).delete();
  }

  static int customResources(OperatorHarness h) {
    int n = 0;
    for (Class<? extends HasMetadata> kind : InMemoryKubernetes.KINDS) {
      n += list(h, kind).size();
    }
    return n;
  }

  // ----- waiting on a frozen clock -----

  /**
   * Waits (bounded real time) until {@code done} holds, moving the simulated clock by {@code step} between
   * looks so backoffs, Retry-After and tick intervals elapse.
   */
  static void advanceUntil(OperatorHarness h, Duration step, Duration timeout, BooleanSupplier done,
      java.util.function.Supplier<Object> describe) {
    try {
      await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
        if (done.getAsBoolean()) {
          return true;
        }
        h.advance(step);
        return false;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not reached within " + timeout + ": " + describe.get(), e);
    }
  }
}
