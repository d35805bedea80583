package io.neuraltrader.e2b.deployment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Status a user reads (health, performance, cost, conditions, metric) and a gradual template rollout. */
class RollingUpdateAndStatusTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /** Active agents that are not serving the spec they have: not Ready, or Ready for an older generation. */
  private int unavailable() {
    return (int) Fleet.activeAgents(h).stream().filter(a -> a.getStatus() == null
        || !Conditions.isTrue(a.getStatus().getConditions(), "Ready")
        || !Objects.equals(a.getStatus().getObservedGeneration(), a.getMetadata().getGeneration())).count();
  }

  @Test
  void statusSumsTheAgentsAndATemplateChangeRollsOneAtATime() {
    h.apply(Fleet.manifest("""
        replicas: 3
        scaling: {maxStep: 1, stepIntervalSeconds: 60, maxReplicas: 5, maxScaleUpFactor: 10}
        """));
    // From 0 the first step is 1 agent, then one more per interval once Ready.
    Fleet.awaitReady(h, 1);
    // 1 of 3 agents while the clock stands still: the deployment is not Ready (kubectl wait keeps waiting).
    Fleet.await(h, x -> "Scaling".equals(Fleet.reason(x, "Ready")) && !Fleet.isTrue(x, "Ready"));
    h.advance(Duration.ofSeconds(60));
    Fleet.awaitReady(h, 2);
    h.advance(Duration.ofSeconds(60));
    E2BDeployment d = Fleet.await(h, x -> Fleet.is(x.getStatus().getReadyReplicas(), 3)
        && x.getStatus().getPerformance() != null && Fleet.isTrue(x, "Available")
        && !Fleet.isTrue(x, "Progressing") && Fleet.isTrue(x, "Ready"));
    assertEquals("AllAgentsReady", Fleet.reason(d, "Ready"));
    List<TradingAgent> agents = Fleet.activeAgents(h);
    assertEquals(3, agents.size());
    assertEquals(3, d.getStatus().getUpdatedReplicas());
    assertEquals(3, d.getStatus().getDesiredReplicas());
    assertEquals(3, d.getStatus().getHealth().getHealthy());
    assertEquals(0, d.getStatus().getHealth().getDegraded() + d.getStatus().getHealth().getUnhealthy());
    assertEquals("Complete", Fleet.reason(d, "Progressing"));
    // Aggregate performance as of the agents' own status at that moment (no agent ticks while the clock stands).
    double equity = agents.stream().mapToDouble(a -> a.getStatus().getEquity()).sum();
    double pnl = agents.stream().mapToDouble(a -> a.getStatus().getPnl()).sum();
    assertEquals(Math.round(equity * 100) / 100.0, d.getStatus().getPerformance().getTotalEquity(), 0.011);
    assertEquals(Math.round(pnl * 100) / 100.0, d.getStatus().getPerformance().getTotalPnl(), 0.011);
    assertEquals(3 * 100_000.0, d.getStatus().getPerformance().getTotalEquity(), 3 * 100_000.0 * 0.5,
        "three agents of 100k paper capital");
    // Cost: three agents now; no windows, so the projection is the static cost.
    assertTrue(d.getStatus().getEstimatedCostPerHourUSD() > 0);
    assertEquals(d.getStatus().getStaticMonthlyCostUSD(), d.getStatus().getProjectedMonthlyCostUSD(), 0.01);
    assertEquals(d.getStatus().getEstimatedCostPerHourUSD() * 720, d.getStatus().getStaticMonthlyCostUSD(), 0.05);
    String scrape = h.operator().registry().scrape();
    assertTrue(scrape.lines().anyMatch(l -> l.startsWith("e2b_deployment_replicas") && l.contains("kind=\"desired\"")
        && l.contains("deployment=\"fleet\"") && l.endsWith(" 3.0")), scrape);
    assertTrue(scrape.lines().anyMatch(l -> l.startsWith("e2b_deployment_replicas") && l.contains("kind=\"ready\"")
        && l.contains("deployment=\"fleet\"") && l.endsWith(" 3.0")), scrape);

    String oldHash = agents.get(0).getMetadata().getAnnotations().get(ApiConstants.ANNOTATION_TEMPLATE_HASH);
    AtomicInteger worst = new AtomicInteger();
    Fleet.edit(h, x -> x.getSpec().getTemplate().getSpec().setCapital(50_000.0));
    await().atMost(Fleet.WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
      worst.accumulateAndGet(unavailable(), Math::max);
      E2BDeployment now = h.get(E2BDeployment.class, Fleet.NAME);
      return Fleet.is(now.getStatus().getUpdatedReplicas(), 3) && Fleet.is(now.getStatus().getReadyReplicas(), 3)
          && Fleet.activeAgents(h).stream().allMatch(a -> a.getSpec().getCapital() == 50_000.0);
    });
    assertTrue(worst.get() <= 1, "at most maxStep (1) agent unavailable during the rollout, saw " + worst.get());
    List<TradingAgent> rolled = Fleet.activeAgents(h);
    assertEquals(3, rolled.size(), "rolled in place, not recreated");
    rolled.forEach(a -> assertTrue(!oldHash.equals(a.getMetadata().getAnnotations()
        .get(ApiConstants.ANNOTATION_TEMPLATE_HASH))));
    long updates = h.events(Fleet.NAME).stream().filter(e -> "RollingUpdate".equals(e.getReason()))
        .peek(e -> assertEquals("Updated 1 agent(s) to the new template", e.getMessage()))
        .mapToLong(e -> e.getCount() == null ? 1 : e.getCount()).sum();
    assertEquals(3, updates, "three single-agent steps");
  }
}
