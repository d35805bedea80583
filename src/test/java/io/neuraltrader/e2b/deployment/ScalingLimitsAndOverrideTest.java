package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.ManualOverride;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One market day of a 09:30-16:00 New York deployment: the pre-warm jump waits for approval, then steps;
 * kubectl scale (the scale subresource) overrides the window, and past maxReplicas is refused by the API
 * server; the override ends with the window.
 */
class ScalingLimitsAndOverrideTest {
  private static final String APPROVE = "e2b.neuraltrader.io/approve-scale";
  private static final String RESUME = "e2b.neuraltrader.io/resume-schedules";
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void approvalGateStepsOverrideCapAndTheCloseEndsTheOverride() {
    h.apply(Fleet.manifest("""
        replicas: 1
        calendar: NYSE
        preWarmMinutes: 15
        schedules:
          - {name: session, timezone: America/New_York, days: [Mon-Fri], start: "09:30", end: "16:00", replicas: 4}
        scaling: {maxStep: 2, stepIntervalSeconds: 60, maxReplicas: 5, maxScaleUpFactor: 2}
        """));
    E2BDeployment baseline = Fleet.awaitReady(h, 1);
    // What an HPA reads through the scale subresource: status.replicas and a selector that matches the agents.
    String selector = baseline.getStatus().getSelector();
    assertEquals("e2b.neuraltrader.io/deployment=fleet", selector);
    Map<String, String> labels = java.util.Arrays.stream(selector.split(","))
        .map(kv -> kv.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    assertEquals(1, h.client().resources(TradingAgent.class).inNamespace(h.namespace()).withLabels(labels).list()
        .getItems().size());

    // 09:15 New York: pre-warm wants 4, more than 2 x 1: it holds at 1 and says how to approve.
    h.clock().advanceTo(Instant.parse("2026-03-02T14:15:00Z"));
    E2BDeployment gated = Fleet.await(h, d -> "AwaitingApproval".equals(Fleet.reason(d, "ScalingLimited")));
    assertTrue(Fleet.isTrue(gated, "ScalingLimited"));
    assertTrue(Fleet.message(gated, "ScalingLimited").contains(APPROVE + "=4"), Fleet.message(gated, "ScalingLimited"));
    assertEquals(4, gated.getStatus().getDesiredReplicas());
    assertEquals(1, gated.getStatus().getReplicas());
    assertEquals("session", gated.getStatus().getActiveSchedule());
    h.awaitEvent(Fleet.NAME, "AwaitingApproval");
    assertEquals(1, Fleet.activeAgents(h).size(), "nothing created past the gate");

    // Approving the goal lets it proceed, in steps of maxStep that wait for Ready and the interval.
    Fleet.annotate(h, APPROVE, "4");
    E2BDeployment step1 = Fleet.await(h, d -> Fleet.is(d.getStatus().getReplicas(), 3));
    assertEquals("AsExpected", Fleet.reason(step1, "ScalingLimited"));
    Fleet.awaitReady(h, 3);
    assertEquals(3, Fleet.activeAgents(h).size(), "the second step waits for the interval");
    h.advance(Duration.ofSeconds(60));
    Fleet.awaitReady(h, 4);

    // kubectl scale past maxReplicas: the API server refuses it (the CRD's rule), nothing changes.
    h.clock().advanceTo(Instant.parse("2026-03-02T15:00:00Z"));
    var refused = assertThrows(KubernetesClientException.class, () -> Fleet.scale(h, 6));
    assertEquals(422, refused.getCode());
    assertTrue(refused.getStatus().getMessage().contains("must not exceed scaling.maxReplicas"),
        refused.getStatus().getMessage());
    assertEquals(1, h.get(E2BDeployment.class, Fleet.NAME).getSpec().getReplicas(), "spec.replicas unchanged");
    // kubectl scale to 5 mid-window (the scale subresource): an override of the window's 4.
    Fleet.scale(h, 5);
    E2BDeployment capped = Fleet.await(h, d -> d.getStatus().getManualOverride() != null
        && Fleet.is(d.getStatus().getDesiredReplicas(), 5));
    assertOverride(capped, 5);
    Fleet.awaitReady(h, 5);
    assertEquals(5, Fleet.activeAgents(h).size());

    // Scale down to 2: the override changes at once, the agents follow in steps of maxStep per interval.
    Fleet.scale(h, 2);
    E2BDeployment held = Fleet.await(h, d -> d.getStatus().getManualOverride() != null
        && Fleet.is(d.getStatus().getManualOverride().getReplicas(), 2));
    assertEquals(5, held.getStatus().getReplicas(), "the last step was less than stepIntervalSeconds ago");
    h.advance(Duration.ofSeconds(60));
    E2BDeployment down = Fleet.await(h, d -> Fleet.is(d.getStatus().getReplicas(), 3));
    assertOverride(down, 2);
    assertEquals(2, down.getStatus().getDesiredReplicas());
    assertEquals("AsExpected", Fleet.reason(down, "ScalingLimited"));
    h.advance(Duration.ofSeconds(60));
    E2BDeployment two = Fleet.awaitReady(h, 2);
    assertOverride(two, 2);
    h.awaitEvent(Fleet.NAME, "ManualOverride");

    // 16:00 New York: the window ends and so does the override; outside windows spec.replicas is the baseline.
    h.clock().advanceTo(Instant.parse("2026-03-02T21:00:00Z"));
    E2BDeployment after = Fleet.await(h, d -> d.getStatus().getManualOverride() == null);
    assertNull(after.getStatus().getActiveSchedule());
    assertEquals(2, after.getStatus().getDesiredReplicas());
    assertEquals("2026-03-03T14:15:00Z", after.getStatus().getNextTransitionAt());
    h.awaitEvent(Fleet.NAME, "ManualOverrideEnded");

    // The next morning the schedule applies again (4 is within 2 x 2: no approval needed).
    h.clock().advanceTo(Instant.parse("2026-03-03T03:00:00Z"));
    Fleet.await(h, d -> d.getStatus().getNextTransitionAt().equals("2026-03-03T14:15:00Z"));
    h.clock().advanceTo(Instant.parse("2026-03-03T14:15:00Z"));
    E2BDeployment nextDay = Fleet.await(h, d -> Fleet.is(d.getStatus().getDesiredReplicas(), 4));
    assertNull(nextDay.getStatus().getManualOverride());
    assertEquals("session", nextDay.getStatus().getActiveSchedule());
  }

  @Test
  void aNewResumeSchedulesAnnotationLiftsTheOverrideAndALaterScaleHoldsAgain() {
    h.apply(Fleet.manifest("""
        replicas: 1
        schedules:
          - {name: session, timezone: America/New_York, days: [Mon-Fri], start: "08:00", end: "16:00", replicas: 2}
        scaling: {maxStep: 5, stepIntervalSeconds: 0, maxReplicas: 5, maxScaleUpFactor: 5}
        """));
    // OperatorHarness starts at Monday 09:00 New York: the window is active.
    Fleet.awaitReady(h, 2);
    Fleet.scale(h, 3);
    assertOverride(Fleet.await(h, d -> d.getStatus().getManualOverride() != null), 3);

    // A status edit would be written back by the reconciler (the status has one writer); an annotation is not.
    Fleet.annotate(h, RESUME, "first");
    E2BDeployment lifted = Fleet.await(h, d -> d.getStatus().getManualOverride() == null
        && Fleet.is(d.getStatus().getDesiredReplicas(), 2));
    assertEquals(3, lifted.getSpec().getReplicas(), "spec.replicas is the baseline outside windows");
    h.awaitEvent(Fleet.NAME, "ManualOverrideLifted");
    Fleet.awaitReady(h, 2);

    // A scale after the annotation is a new override: the same annotation value does not lift it.
    Fleet.scale(h, 4);
    E2BDeployment again = Fleet.await(h, d -> d.getStatus().getManualOverride() != null
        && Fleet.is(d.getStatus().getDesiredReplicas(), 4));
    assertOverride(again, 4);
    assertEquals("first", again.getStatus().getManualOverride().getResumeSchedules());
    Fleet.annotate(h, RESUME, "second");
    Fleet.await(h, d -> d.getStatus().getManualOverride() == null && Fleet.is(d.getStatus().getDesiredReplicas(), 2));
  }

  private static void assertOverride(E2BDeployment d, int replicas) {
    ManualOverride o = d.getStatus().getManualOverride();
    assertNotNull(o, "manualOverride");
    assertEquals(replicas, o.getReplicas());
    assertEquals("session", o.getWindow());
    assertEquals("2026-03-02T21:00:00Z", o.getUntil(), "until the window closes (16:00 New York)");
  }
}
