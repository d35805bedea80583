package io.neuraltrader.e2b.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make soak}: 300 custom resources (260 sandboxes, 4 pools, 34 agents, 2 deployments of 5), 30 minutes
 * of accelerated market time with ~20% E2B faults and two operator restarts. Prints and writes
 * target/soak/results.json: converged, leaked, duplicated, missing, max reconcile rate.
 */
@Tag("soak")
class SoakTest {
  static final int SANDBOXES = 260;
  static final int POOLS = 4;
  static final int POOL_REPLICAS = 3;
  static final int AGENTS = 34;
  static final int DEPLOYMENTS = 2;
  static final int DEPLOYMENT_REPLICAS = 5;

  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start(rc -> rc.seed(300L), c -> c);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private double reconciles() {
    return h.operator().registry().getMeters().stream()
        .filter(m -> m.getId().getName().contains("reconciliations.started"))
        .filter(m -> m instanceof Counter).mapToDouble(m -> ((Counter) m).count()).sum();
  }

  private void applyEstate() {
    Estate.applySandboxes(h, 0, SANDBOXES);
    for (int p = 0; p < POOLS; p++) {
      h.apply("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: SandboxPool
          metadata: {name: soak-pool-%d}
          spec: {replicas: %d, maxSandboxes: 30}
          """.formatted(p, POOL_REPLICAS));
    }
    for (int i = 0; i < AGENTS; i++) {
      String sandbox = i % 2 == 0 ? "{poolRef: {name: soak-pool-" + (i / 2 % POOLS) + "}}" : "{template: {}}";
      h.apply("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: TradingAgent
          metadata: {name: soak-agent-%02d}
          spec:
            strategy: %s
            symbols: [AAPL, MSFT]
            interval: 60s
            marketData: {type: synthetic, seed: %d}
            sandbox: %s
          """.formatted(i, i % 3 == 0 ? "mean_reversion" : "momentum", i, sandbox));
    }
    for (int d = 0; d < DEPLOYMENTS; d++) {
      h.apply("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: E2BDeployment
          metadata: {name: soak-fleet-%d}
          spec:
            replicas: %d
            scaling: {maxStep: 5, stepIntervalSeconds: 30, maxReplicas: 20, maxScaleUpFactor: 10}
            sharding: {symbols: [AAPL, MSFT, NVDA, AMZN, GOOGL, META, TSLA, JPM, V, KO]}
            template:
              spec: {strategy: momentum, symbols: [AAPL], interval: 60s, sandbox: {template: {}}}
          """.formatted(d, DEPLOYMENT_REPLICAS));
    }
  }

  /** Counts of what has converged, by kind. */
  private Map<String, Object> converged() {
    Map<String, Object> out = new LinkedHashMap<>();
    List<E2BSandbox> sandboxes = Estate.list(h, E2BSandbox.class);
    out.put("sandboxes", sandboxes.size());
    out.put("sandboxesRunning", sandboxes.stream().filter(s -> s.getStatus() != null
        && s.getStatus().getPhase() == SandboxPhase.Running && s.getStatus().getSandboxID() != null).count());
    List<SandboxPool> pools = Estate.list(h, SandboxPool.class);
    out.put("pools", pools.size());
    out.put("poolsReady", pools.stream().filter(p -> p.getStatus() != null
        && Objects.equals(p.getStatus().getReadyReplicas(), POOL_REPLICAS)
        && Conditions.isTrue(p.getStatus().getConditions(), "Ready")).count());
    List<TradingAgent> agents = Estate.list(h, TradingAgent.class);
    out.put("agents", agents.size());
    out.put("agentsTicking", agents.stream().filter(a -> a.getStatus() != null
        && a.getStatus().getPhase() == AgentPhase.Running && a.getStatus().getRuns() != null
        && a.getStatus().getRuns() >= 1).count());
    List<E2BDeployment> deployments = Estate.list(h, E2BDeployment.class);
    out.put("deployments", deployments.size());
    out.put("deploymentsAvailable", deployments.stream().filter(d -> d.getStatus() != null
        && Objects.equals(d.getStatus().getReadyReplicas(), DEPLOYMENT_REPLICAS)
        && Conditions.isTrue(d.getStatus().getConditions(), "Available")).count());
    return out;
  }

  /** Each agent that is not ticking, with what its status says: names the cause when the soak does not settle. */
  private List<String> agentsNotTicking() {
    return Estate.list(h, TradingAgent.class).stream()
        .filter(a -> a.getStatus() == null || a.getStatus().getPhase() != AgentPhase.Running
            || a.getStatus().getRuns() == null || a.getStatus().getRuns() < 1)
        .map(a -> {
          var s = a.getStatus();
          if (s == null) {
            return a.getMetadata().getName() + ": no status";
          }
          return a.getMetadata().getName() + ": phase " + s.getPhase() + ", runs " + s.getRuns() + ", failedRuns "
              + s.getFailedRuns() + ", consecutiveFailures " + s.getConsecutiveFailures() + ", lastRunAt "
              + s.getLastRunAt() + ", nextRunAt " + s.getNextRunAt() + ", sandboxRef " + s.getSandboxRef()
              + ", lastError " + s.getLastError() + ", conditions " + s.getConditions().stream()
                  .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason() + " " + c.getMessage()).toList();
        })
        .toList();
  }

  private boolean allConverged(Map<String, Object> c) {
    return c.get("sandboxes").equals(((Number) c.get("sandboxesRunning")).intValue())
        && ((Number) c.get("poolsReady")).intValue() == POOLS
        && ((Number) c.get("agentsTicking")).intValue() == AGENTS + DEPLOYMENTS * DEPLOYMENT_REPLICAS
        && ((Number) c.get("deploymentsAvailable")).intValue() == DEPLOYMENTS;
  }

  @Test
  void soak() throws Exception {
    long startedNanos = System.nanoTime();
    h.runtime().faults().setDefault(Estate.faults(0.20).withLatency(Duration.ofMillis(20)));
    applyEstate();
    int topLevel = Estate.customResources(h);
    assertEquals(300, topLevel, "300 custom resources applied");

    double maxRate = 0;
    int restarts = 0;
    Duration market = Duration.ofMinutes(30);
    Duration step = Duration.ofSeconds(5);
    long steps = market.dividedBy(step);
    double lastCount = reconciles();
    long lastNanos = System.nanoTime();
    for (long i = 1; i <= steps; i++) {
      h.advance(step);
      // One real second per 5 s of market time (5x): keep-alives of 300 sandboxes then fit the operator's
      // default 10 E2B calls/s; at 25x they cannot, and sandboxes churn through expiry and recreation.
      org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5))
          .until(() -> true);
      double count = reconciles();
      long now = System.nanoTime();
      double seconds = (now - lastNanos) / 1e9;
      if (count >= lastCount && seconds > 0) {
        maxRate = Math.max(maxRate, (count - lastCount) / seconds);
      }
      lastCount = count;
      lastNanos = now;
      if (i == steps / 3 || i == 2 * steps / 3) {
        h.restartOperator();
        restarts++;
        lastCount = reconciles();
        lastNanos = System.nanoTime();
      }
    }
    // Settle: faults stay on, the clock keeps moving until everything converged and the books balance.
    try {
      Estate.advanceUntil(h, Duration.ofSeconds(1), Duration.ofMinutes(5),
          () -> allConverged(converged()) && Estate.account(h).exact(), () -> converged() + " " + Estate.account(h) + " at " + h.clock().instant()
              + " agents not ticking: " + agentsNotTicking());
    } catch (AssertionError e) {
      System.out.println("SOAK did not fully settle: " + e.getMessage());
    }
    Map<String, Object> converged = converged();
    Estate.Accounting accounting = Estate.account(h);

    Map<String, Object> results = new LinkedHashMap<>();
    results.put("customResourcesApplied", topLevel);
    results.put("marketMinutes", market.toMinutes());
    results.put("operatorRestarts", restarts);
    results.put("converged", converged);
    results.put("allConverged", allConverged(converged));
    results.put("agentsNotTicking", agentsNotTicking());
    results.put("e2bSandboxes", accounting.sandboxes());
    results.put("e2bSandboxResources", accounting.resources());
    results.put("leaked", accounting.leaked().size());
    results.put("duplicated", accounting.duplicated().size());
    results.put("missing", accounting.missing().size());
    results.put("maxReconcilesPerSecond", Math.round(maxRate * 10) / 10.0);
    results.put("agentRuns", Estate.list(h, TradingAgent.class).stream()
        .mapToLong(a -> a.getStatus() == null || a.getStatus().getRuns() == null ? 0 : a.getStatus().getRuns()).sum());
    results.put("e2bRequests", h.runtime().requestCounts().entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(e -> e.getKey().wireName(), Map.Entry::getValue)));
    results.put("realSeconds", Math.round((System.nanoTime() - startedNanos) / 1e9));

    // Deleting everything leaves nothing behind.
    Estate.deleteAll(h);
    Estate.advanceUntil(h, Duration.ofSeconds(5), Duration.ofMinutes(5),
        () -> Estate.customResources(h) == 0 && h.runtime().sandboxCount() == 0,
        () -> Estate.customResources(h) + " resources, " + h.runtime().sandboxCount() + " sandboxes");
    results.put("sandboxesAfterDeletion", h.runtime().sandboxCount());
    results.put("pythonProcessesAfterDeletion", h.runtime().liveProcessCount());
    results.put("realSecondsTotal", Math.round((System.nanoTime() - startedNanos) / 1e9));

    String json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValueAsString(results);
    Files.createDirectories(Path.of("target/soak"));
    Files.writeString(Path.of("target/soak/results.json"), json);
    System.out.println("SOAK RESULTS " + json);

    assertTrue(allConverged(converged), "converged: " + converged);
    assertEquals(0, accounting.leaked().size(), "leaked " + accounting.leaked());
    assertEquals(0, accounting.duplicated().size(), "duplicated " + accounting.duplicated());
    assertEquals(0, accounting.missing().size(), "missing " + accounting.missing());
    assertEquals(0, h.runtime().sandboxCount());
    assertEquals(0, h.runtime().liveProcessCount());
    assertTrue(h.runtime().requestCount(ServedOperation.CREATE) >= accounting.resources());
  }
}
