package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.CostModel;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.condition;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.edit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.HealthState;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What status reports: ids, times, usage, health, estimated cost and conditions with observedGeneration. */
class SandboxStatusTest {
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
  void reportsIdsTimesSizeAndUsageFromTheFleetPoll() {
    applySandbox(h, "observed", "{}");
    E2BSandbox sb = h.awaitResource(E2BSandbox.class, "observed", r -> r.getStatus() != null
        && r.getStatus().getUsage() != null && r.getStatus().getCpuCount() != null);
    var s = sb.getStatus();
    var runtime = h.runtime().sandboxes().get(0);
    assertEquals(runtime.sandboxId(), s.getSandboxID());
    assertEquals(runtime.templateId(), s.getTemplateID());
    assertNotNull(s.getEnvdVersion());
    assertEquals(OperatorHarness.START.toString(), s.getStartedAt());
    assertTrue(s.getCpuCount() > 0 && s.getMemoryMB() > 0);
    assertNotNull(s.getUsage().getSampledAt());
    assertTrue(s.getUsage().getMemoryTotalMB() >= 0);
    assertEquals(HealthState.Healthy, s.getHealth());
    assertEquals("True", condition(sb, "Ready").getStatus());
    assertEquals("False", condition(sb, "Degraded").getStatus());
    assertEquals(0, s.getRestarts() == null ? 0 : s.getRestarts());
  }

  @Test
  void estimatedCostFollowsTheCostModelOverAnHour() {
    applySandbox(h, "metered", "timeoutSeconds: 14400");
    E2BSandbox sized = h.awaitResource(E2BSandbox.class, "metered", r -> r.getStatus() != null
        && r.getStatus().getCpuCount() != null);
    double expected = CostModel.E2B_LIST_PRICES.perSecond(sized.getStatus().getCpuCount(),
        sized.getStatus().getMemoryMB()) * 3600;

    h.advance(Duration.ofHours(1));
    E2BSandbox billed = h.awaitResource(E2BSandbox.class, "metered", r -> r.getStatus().getEstimatedCostUSD() != null
        && r.getStatus().getEstimatedCostUSD() > expected / 2);
    assertEquals(expected, billed.getStatus().getEstimatedCostUSD(), expected * 0.01);
  }

  @Test
  void healthFollowsTheExecutionRecordAndSetsDegraded() {
    applySandbox(h, "judged", "{}");
    String id = awaitRunning(h, "judged").getStatus().getSandboxID();
    for (int i = 0; i < 10; i++) {
      h.operator().activity().recordExecution(id, 100, i < 3, h.clock().instant());
    }
    h.advance(Duration.ofSeconds(61)); // the status refresh
    E2BSandbox unhealthy = h.awaitResource(E2BSandbox.class, "judged",
        r -> r.getStatus().getHealth() == HealthState.Unhealthy);
    assertEquals("True", condition(unhealthy, "Degraded").getStatus());
    assertEquals("Unhealthy", condition(unhealthy, "Degraded").getReason());
    assertEquals(10L, unhealthy.getStatus().getExecutionCount());
    assertEquals(3L, unhealthy.getStatus().getExecutionErrors());
  }

  @Test
  void conditionsCarryTheObservedGeneration() {
    applySandbox(h, "generations", "metadata: {team: a}");
    E2BSandbox first = awaitRunning(h, "generations");
    long g1 = first.getMetadata().getGeneration();
    assertEquals(g1, condition(first, "Ready").getObservedGeneration());
    edit(h, "generations", r -> r.getSpec().setIdleTimeout("1h"));
    E2BSandbox second = h.awaitResource(E2BSandbox.class, "generations",
        r -> r.getMetadata().getGeneration() > g1
            && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration()));
    assertEquals(second.getMetadata().getGeneration(), condition(second, "Ready").getObservedGeneration());
    assertEquals(second.getMetadata().getGeneration(), condition(second, "Degraded").getObservedGeneration());
  }
}
