package io.neuraltrader.e2b.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.ClaimRef;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPoolStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.schedule.ScheduleDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pool's pure steps besides the counting planner: target, plan with releases, next look, status, member. */
class PoolShapeTest {
  private static final Instant NOW = Instant.parse("2026-03-02T14:00:00Z");
  private static final Instant FAR = NOW.plus(Duration.ofDays(1));

  private static PoolTarget target(int desired, int max, Duration age, boolean scheduled, Instant transition) {
    return new PoolTarget(new ScheduleDecision(Optional.empty(), transition, true), scheduled, desired, max, age);
  }

  private static PoolMember warm(String name, boolean ready, Instant createdAt) {
    return new PoolMember(name, false, ready, false, false, createdAt, null, null);
  }

  private static SandboxPool pool() {
    SandboxPool pool = new SandboxPool();
    pool.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").withUid("pool-uid")
        .withGeneration(3L).build());
    pool.getSpec().setReplicas(2);
    pool.getSpec().setMaxSandboxes(4);
    return pool;
  }

  @Test
  void theTargetIsTheSpecReplicasOutsideWindowsAndRejectsABadWarmAge() {
    SandboxPool pool = pool();
    pool.getSpec().setMaxWarmAge("10m");
    PoolTarget target = PoolTarget.of(pool.getSpec(), NOW);
    assertEquals(2, target.desired());
    assertEquals(4, target.maxSandboxes());
    assertEquals(Duration.ofMinutes(10), target.maxWarmAge());
    assertFalse(target.scheduled());
    pool.getSpec().setMaxWarmAge("soon");
    assertThrows(IllegalArgumentException.class, () -> PoolTarget.of(pool.getSpec(), NOW));
  }

  @Test
  void thePlanNamesTheAbandonedClaimsItWasShownAndTheCountsOfTheCountingPlanner() {
    var gone = new PoolObservation.AbandonedClaim("p-1", "TradingAgent", "a");
    PoolObservation observed = new PoolObservation(List.of(), List.of(warm("p-2", true, NOW)), 1, List.of(gone));
    PoolPlanner.Plan plan = PoolPlanner.plan(target(3, 5, null, false, FAR), observed, NOW);
    assertEquals(List.of(gone), plan.release());
    assertEquals(1, plan.create());
    assertEquals(2, plan.warm());
    assertEquals(List.of(), PoolPlanner.plan(3, 5, null, List.of(), 0, NOW).release());
  }

  @Test
  void theNextLookIsTheEarliestOfItsSources() {
    PoolPlanner.Plan idle = PoolPlanner.plan(1, 5, null, List.of(warm("a", true, NOW)), 0, NOW);
    record Row(PoolTarget target, List<PoolMember> members, PoolPlanner.Plan plan, Instant expiry, Instant want) {}
    List<PoolMember> aging = List.of(warm("a", true, NOW.minus(Duration.ofMinutes(8))));
    PoolPlanner.Plan held = PoolPlanner.plan(1, 5, null,
        List.of(new PoolMember("b", false, false, false, false, NOW, null, "RateLimited")), 0, NOW);
    List<Row> rows = List.of(
        new Row(target(1, 5, null, false, NOW.plusSeconds(60)), List.of(), idle, null, NOW.plus(Duration.ofMinutes(5))),
        new Row(target(1, 5, null, true, NOW.plusSeconds(60)), List.of(), idle, null, NOW.plusSeconds(60)),
        new Row(target(1, 5, Duration.ofMinutes(10), false, FAR), aging, idle, null, NOW.plus(Duration.ofMinutes(2))),
        new Row(target(1, 5, null, false, FAR), List.of(), idle, NOW.plusSeconds(7), NOW.plusSeconds(7)),
        new Row(target(1, 5, null, false, FAR), List.of(), held, null, NOW.plusSeconds(30)));
    for (Row row : rows) {
      assertEquals(row.want(), PoolPlanner.nextLook(row.target(), row.members(), row.plan(), row.expiry(), NOW),
          row.toString());
    }
  }

  @Test
  void statusCountsTheCreatesOfThisPlanAndSetsEachCondition() {
    SandboxPoolStatus status = new SandboxPoolStatus();
    PoolPlanner.Plan plan = PoolPlanner.plan(3, 3, null,
        List.of(warm("a", true, NOW), new PoolMember("c", true, true, false, false, NOW, "u", null)), 0, NOW);
    PoolStatusBuilder.fill(status, "p", 3L, target(3, 3, null, true, FAR), plan, NOW);
    assertEquals(2, status.getReplicas(), "1 warm + 1 being created");
    assertEquals(1, status.getReadyReplicas());
    assertEquals(1, status.getClaimed());
    assertEquals(1, status.getCreating());
    assertEquals(3, status.getDesiredReplicas());
    assertEquals(3L, status.getObservedGeneration());
    assertEquals(ApiConstants.LABEL_POOL + "=p," + ApiConstants.LABEL_POOL_STATE + "=" + ApiConstants.POOL_STATE_WARM,
        status.getSelector());
    assertEquals(Times.format(FAR), status.getNextTransitionAt());
    assertTrue(Conditions.isTrue(status.getConditions(), "ScalingLimited"));
    assertFalse(Conditions.isTrue(status.getConditions(), "CapacityHeld"));
    assertFalse(Conditions.isTrue(status.getConditions(), "Ready"));
    assertEquals("Filling", Conditions.reason(status.getConditions(), "Ready"));

    PoolStatusBuilder.fill(status, "p", 3L, target(1, 3, null, false, FAR), plan, NOW);
    assertNull(status.getNextTransitionAt(), "no schedules, no transition");
    assertEquals("WarmMembersReady", Conditions.reason(status.getConditions(), "Ready"));
  }

  @Test
  void theDesiredMemberIsAWarmUnclaimedCopyOfTheTemplateOwnedByThePool() {
    SandboxPool pool = pool();
    pool.getSpec().getTemplate().setLabels(Map.of("team", "quant"));
    pool.getSpec().getTemplate().getSpec().setClaimRef(new ClaimRef());
    E2BSandbox member = PoolMemberTemplate.desired(pool, "p-abc", NOW);
    assertEquals("p-abc", member.getMetadata().getName());
    assertEquals("ns", member.getMetadata().getNamespace());
    Map<String, String> labels = member.getMetadata().getLabels();
    assertEquals("quant", labels.get("team"));
    assertEquals("p", labels.get(ApiConstants.LABEL_POOL));
    assertEquals(ApiConstants.POOL_STATE_WARM, labels.get(ApiConstants.LABEL_POOL_STATE));
    assertEquals(ApiConstants.MANAGED_BY_VALUE, labels.get(ApiConstants.LABEL_MANAGED_BY));
    assertEquals(Times.format(NOW), member.getMetadata().getAnnotations().get(PoolMember.CREATED_AT));
    assertEquals("pool-uid", member.getMetadata().getOwnerReferences().get(0).getUid());
    assertNull(member.getSpec().getClaimRef(), "a new member is never claimed");
    assertTrue(pool.getSpec().getTemplate().getSpec().getClaimRef() != null, "the pool's template is not changed");
  }
}
