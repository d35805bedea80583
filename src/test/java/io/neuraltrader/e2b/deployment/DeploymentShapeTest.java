package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.AgentTemplate;
import io.neuraltrader.e2b.api.v1alpha1.AggregatePerformance;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeploymentStatus;
import io.neuraltrader.e2b.api.v1alpha1.LocalRef;
import io.neuraltrader.e2b.api.v1alpha1.Performance;
import io.neuraltrader.e2b.api.v1alpha1.ShardingSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.schedule.MarketCalendars;
import io.neuraltrader.e2b.schedule.ScheduleDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The deployment's pure steps: children, scale steps, rollout budget, reshard, next look, status, desired agent. */
class DeploymentShapeTest {
  private static final Instant NOW = Instant.parse("2026-03-02T14:00:00Z");
  private static final Instant FAR = NOW.plus(Duration.ofDays(1));

  private static DeploymentChild child(int index, boolean active, boolean ready, boolean updated) {
    TradingAgent agent = new TradingAgent();
    agent.setMetadata(new ObjectMetaBuilder().withName("fleet-" + index).build());
    agent.getSpec().setSymbols(List.of("A"));
    return new DeploymentChild(index, agent, active, ready, updated);
  }

  private static ReplicaPlanner.Plan plan(int desired, int target, String limited, Instant wakeAt) {
    return new ReplicaPlanner.Plan(desired, target, null, limited, limited == null ? null : "MaxReplicas", wakeAt,
        "spec.replicas " + desired);
  }

  private static E2BDeployment deployment() {
    E2BDeployment d = new E2BDeployment();
    d.setMetadata(new ObjectMetaBuilder().withName("fleet").withNamespace("ns").withUid("dep-uid")
        .withGeneration(2L).build());
    AgentTemplate template = new AgentTemplate();
    template.setSpec(new TradingAgentSpec());
    template.setLabels(Map.of("team", "quant"));
    d.getSpec().setTemplate(template);
    return d;
  }

  private static String steps(List<ReplicaPlanner.Step> steps) {
    return String.join(",", steps.stream().map(s -> s.action() + "" + s.index()).toList());
  }

  @Test
  void scaleStepsCreateAndResumeBelowTheTargetAndDeleteOrSuspendAbove() {
    List<DeploymentChild> children = List.of(child(0, true, true, true), child(1, false, true, true),
        child(3, true, true, true), child(4, false, true, true));
    assertEquals("RESUME1,CREATE2,DELETE3,DELETE4", steps(ReplicaPlanner.scaleSteps(children, 3, false)),
        "without Pause, agents above the target go, also ones an earlier Pause left suspended");
    assertEquals("RESUME1,CREATE2,SUSPEND3", steps(ReplicaPlanner.scaleSteps(children, 3, true)));
    assertEquals("SUSPEND3", steps(ReplicaPlanner.scaleSteps(List.of(child(3, true, true, true),
        child(4, false, true, true)), 0, true)), "under Pause an agent already suspended is left alone");
    assertEquals("CREATE0,CREATE1", steps(ReplicaPlanner.scaleSteps(List.of(), 2, false)));
  }

  @Test
  void theRolloutBudgetIsMaxStepLessTheRunningAgentsNotReady() {
    record Row(List<DeploymentChild> children, int target, int maxStep, List<Integer> want) {}
    List<Row> rows = List.of(
        new Row(List.of(child(0, true, true, false), child(1, true, true, false), child(2, true, true, false)), 3, 2,
            List.of(0, 1)),
        new Row(List.of(child(0, true, false, true), child(1, true, true, false), child(2, true, true, false)), 3, 2,
            List.of(1)),
        new Row(List.of(child(0, true, false, true), child(1, true, false, false)), 2, 2, List.of()),
        new Row(List.of(child(0, true, true, false), child(1, false, true, false), child(2, true, true, false)), 2, 5,
            List.of(0)));
    for (Row row : rows) {
      assertEquals(row.want(), ReplicaPlanner.rollout(row.children(), row.target(), row.maxStep()).stream()
          .map(DeploymentChild::index).toList(), row.toString());
    }
  }

  @Test
  void reshardTouchesOnlyRunningUpdatedAgentsWhoseShareChanged() {
    List<DeploymentChild> children = List.of(child(0, true, true, true), child(1, true, true, true),
        child(2, true, true, false), child(3, false, true, true));
    List<ReplicaPlanner.Reshard> changes = ReplicaPlanner.reshard(children, 3, List.of("A", "B", "C", "D"));
    assertEquals(List.of(0, 1), changes.stream().map(r -> r.child().index()).toList());
    assertEquals(List.of("A", "D"), changes.get(0).symbols());
    assertEquals(List.of("B"), changes.get(1).symbols());
    assertEquals(List.of(), ReplicaPlanner.reshard(List.of(child(0, true, true, true)), 1, List.of("A")));
  }

  @Test
  void theNextLookIsTheEarliestOfTransitionPendingStepAndProgressCheck() {
    Duration step = Duration.ofSeconds(30);
    assertEquals(FAR, ReplicaPlanner.nextLook(plan(1, 1, null, null), FAR, false, step, NOW));
    assertEquals(NOW.plusSeconds(5), ReplicaPlanner.nextLook(plan(2, 1, null, NOW.plusSeconds(5)), FAR, false, step,
        NOW));
    assertEquals(NOW.plusSeconds(30), ReplicaPlanner.nextLook(plan(2, 2, null, null), FAR, true, step, NOW));
    assertEquals(NOW.plusSeconds(1), ReplicaPlanner.nextLook(plan(2, 2, null, null), FAR, true, Duration.ZERO, NOW),
        "a zero step interval still waits a second");
    assertEquals(NOW.plusSeconds(10), ReplicaPlanner.nextLook(plan(2, 2, null, null), NOW.plusSeconds(10), true, step,
        NOW));
  }

  @Test
  void childrenAreIndexedSortedAndReadyOnlyWhenTheirReconcilerSawTheLatestSpec() {
    TradingAgent seen = agent("fleet-1", "h", AgentPhase.Running, 3L, 3L);
    TradingAgent behind = agent("fleet-0", "old", AgentPhase.Running, 4L, 3L);
    TradingAgent stray = agent("fleet-x", "h", AgentPhase.Running, 1L, 1L);
    List<DeploymentChild> children = DeploymentChild.of(List.of(seen, behind, stray), "h");
    assertEquals(List.of(0, 1), children.stream().map(DeploymentChild::index).toList());
    assertFalse(children.get(0).ready());
    assertFalse(children.get(0).updated());
    assertTrue(children.get(1).ready());
    assertTrue(children.get(1).updated());
    assertTrue(children.get(1).active());
  }

  private static TradingAgent agent(String name, String hash, AgentPhase phase, long generation, long observed) {
    TradingAgent a = new TradingAgent();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(generation)
        .withAnnotations(Map.of(ApiConstants.ANNOTATION_TEMPLATE_HASH, hash)).build());
    TradingAgentStatus s = new TradingAgentStatus();
    s.setPhase(phase);
    s.setObservedGeneration(observed);
    Conditions.set(s.getConditions(), "Ready", Conditions.TRUE, "Running", "", observed, NOW);
    a.setStatus(s);
    return a;
  }

  @Test
  void statusCountsAndConditionsFollowTheChildrenAndThePlan() {
    E2BDeploymentStatus status = new E2BDeploymentStatus();
    List<DeploymentChild> children = List.of(child(0, true, true, true), child(1, true, false, false),
        child(2, false, true, true));
    DeploymentStatusBuilder.counts(status, children, 3, Map.of(ApiConstants.LABEL_DEPLOYMENT, "fleet"),
        new ScheduleDecision(Optional.empty(), FAR, true), false);
    assertEquals(2, status.getReplicas());
    assertEquals(1, status.getReadyReplicas());
    assertEquals(1, status.getUpdatedReplicas());
    assertEquals(3, status.getDesiredReplicas());
    assertEquals(ApiConstants.LABEL_DEPLOYMENT + "=fleet", status.getSelector());
    assertNull(status.getNextTransitionAt());
    DeploymentStatusBuilder.conditions(status, plan(3, 2, "desired 5 capped for <name>", null), "fleet", 2L, NOW);
    assertFalse(Conditions.isTrue(status.getConditions(), "Available"), "1 of 2 ready");
    assertTrue(Conditions.isTrue(status.getConditions(), "Progressing"));
    assertTrue(Conditions.isTrue(status.getConditions(), "ScalingLimited"));
    assertEquals("desired 5 capped for fleet", Conditions.find(status.getConditions(), "ScalingLimited")
        .orElseThrow().getMessage());
    DeploymentStatusBuilder.conditions(status, plan(2, 2, null, null), "fleet", 2L, NOW);
    assertFalse(Conditions.isTrue(status.getConditions(), "ScalingLimited"));
  }

  @Test
  void costIsTheRunningAgentsPerHourAndTheMonthAtSpecReplicasWithoutWindows() {
    E2BDeploymentStatus status = new E2BDeploymentStatus();
    DeploymentStatusBuilder.cost(status, 2, new DeploymentStatusBuilder.CostInputs(0.5, List.of(),
        MarketCalendars.byName("none"), Duration.ZERO, 3, 2), NOW);
    assertEquals(1.0, status.getEstimatedCostPerHourUSD());
    assertEquals(2 * 0.5 * 720, status.getStaticMonthlyCostUSD(), "peak capped at maxReplicas, 720 hours");
    assertEquals(2 * 0.5 * 720, status.getProjectedMonthlyCostUSD(), 0.01);
  }

  @Test
  void performanceSumsEquityAndAveragesOnlyOverAgentsThatReport() {
    TradingAgent a = performing(1000.123, 10, 0.1, 1.0, 3);
    TradingAgent b = performing(500, -4, 0.3, 2.0, 2);
    TradingAgent silent = new TradingAgent();
    AggregatePerformance perf = DeploymentStatusBuilder.performance(List.of(a, b, silent));
    assertEquals(1500.12, perf.getTotalEquity());
    assertEquals(6.0, perf.getTotalPnl());
    assertEquals(0.2, perf.getAverageReturn(), 1e-9);
    assertEquals(1.5, perf.getAverageSharpe(), 1e-9);
    assertEquals(5, perf.getTrades());
    assertEquals(0.0, DeploymentStatusBuilder.performance(List.of(silent)).getAverageSharpe());
  }

  private static TradingAgent performing(double equity, double pnl, double ret, double sharpe, int trades) {
    TradingAgent agent = new TradingAgent();
    TradingAgentStatus s = new TradingAgentStatus();
    s.setEquity(equity);
    s.setPnl(pnl);
    Performance p = new Performance();
    p.setTotalReturn(ret);
    p.setSharpe(sharpe);
    p.setTrades(trades);
    s.setPerformance(p);
    agent.setStatus(s);
    return agent;
  }

  @Test
  void theDesiredAgentCarriesItsShardThePoolTheSelectorAndTheTemplateHash() {
    E2BDeployment d = deployment();
    ShardingSpec sharding = new ShardingSpec();
    sharding.setSymbols(List.of("A", "B", "C"));
    d.getSpec().setSharding(sharding);
    LocalRef pool = new LocalRef();
    pool.setName("warm");
    d.getSpec().setPoolRef(pool);
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(Map.of("app", "fleet"));
    d.getSpec().setSelector(selector);
    d.getSpec().getTemplate().getSpec().setSuspend(true);
    TradingAgent agent = DeploymentAgentTemplate.desired(d, 1, 2, "abc");
    assertEquals("fleet-1", agent.getMetadata().getName());
    assertEquals("ns", agent.getMetadata().getNamespace());
    assertEquals(List.of("B"), agent.getSpec().getSymbols());
    assertEquals("warm", agent.getSpec().getSandbox().getPoolRef().getName());
    assertFalse(agent.getSpec().getSuspend(), "a desired agent runs");
    assertEquals("quant", agent.getMetadata().getLabels().get("team"));
    assertEquals("fleet", agent.getMetadata().getLabels().get("app"));
    assertEquals("fleet", agent.getMetadata().getLabels().get(ApiConstants.LABEL_DEPLOYMENT));
    assertEquals("abc", agent.getMetadata().getAnnotations().get(ApiConstants.ANNOTATION_TEMPLATE_HASH));
    assertEquals("dep-uid", agent.getMetadata().getOwnerReferences().get(0).getUid());
    assertTrue(d.getSpec().getTemplate().getSpec().getSuspend(), "the deployment's template is not changed");

    String hash = DeploymentAgentTemplate.templateHash(d.getSpec());
    d.getSpec().getTemplate().getSpec().setSymbols(List.of("Z"));
    assertEquals(hash, DeploymentAgentTemplate.templateHash(d.getSpec()), "symbols are per replica, not template");
    d.getSpec().getTemplate().setLabels(Map.of("team", "risk"));
    assertFalse(hash.equals(DeploymentAgentTemplate.templateHash(d.getSpec())), "labels are part of the template");
  }
}
