package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A deployment follows a 09:30-16:00 New York window with pre-warm, stepping by maxStep. */
class ScheduledScalingTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private long agents() {
    return h.client().resources(TradingAgent.class).inNamespace(h.namespace()).list().getItems().stream()
        .filter(a -> !Boolean.TRUE.equals(a.getSpec().getSuspend()) && a.getMetadata().getDeletionTimestamp() == null)
        .count();
  }

  @Test
  void scalesUpAtPreWarmInStepsAndBackAfterTheClose() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BDeployment
        metadata: {name: fleet}
        spec:
          replicas: 1
          calendar: NYSE
          preWarmMinutes: 15
          schedules:
            - {name: session, timezone: America/New_York, days: [Mon-Fri], start: "09:30", end: "16:00", replicas: 4}
          scaling: {maxStep: 2, stepIntervalSeconds: 30, maxReplicas: 10, maxScaleUpFactor: 10}
          sharding: {symbols: [AAPL, MSFT, NVDA, AMZN, GOOGL, META, TSLA, JPM]}
          template:
            spec:
              strategy: momentum
              symbols: [AAPL]
              interval: 60s
              # long E2B timeout: the test jumps the clock by hours, faster than keep-alive renewals
              sandbox: {template: {timeoutSeconds: 86400}}
        """);
    E2BDeployment d = h.awaitResource(E2BDeployment.class, "fleet",
        x -> x.getStatus() != null && x.getStatus().getReadyReplicas() != null && x.getStatus().getReadyReplicas() == 1,
        Duration.ofSeconds(60));
    assertEquals(1, d.getStatus().getDesiredReplicas());
    assertNull(d.getStatus().getActiveSchedule());
    assertEquals("2026-03-02T14:15:00Z", d.getStatus().getNextTransitionAt(), "pre-warm starts 09:15 New York");
    assertTrue(d.getStatus().getProjectedMonthlyCostUSD() < d.getStatus().getStaticMonthlyCostUSD());

    h.advance(Duration.ofMinutes(15));
    h.awaitResource(E2BDeployment.class, "fleet", x -> x.getStatus().getDesiredReplicas() == 4
        && "session".equals(x.getStatus().getActiveSchedule()));
    h.awaitResource(E2BDeployment.class, "fleet", x -> x.getStatus().getReplicas() == 3, Duration.ofSeconds(60));
    assertEquals(3, agents(), "first step: +2");
    h.awaitResource(E2BDeployment.class, "fleet", x -> x.getStatus().getReadyReplicas() == 3, Duration.ofSeconds(60));
    h.advance(Duration.ofSeconds(30));
    h.awaitResource(E2BDeployment.class, "fleet", x -> x.getStatus().getReadyReplicas() == 4, Duration.ofSeconds(60));
    TradingAgent first = h.get(TradingAgent.class, "fleet-0");
    assertEquals(java.util.List.of("AAPL", "GOOGL"), first.getSpec().getSymbols(), "8 symbols round-robin over 4 shards");

    h.clock().advanceTo(Instant.parse("2026-03-02T21:00:00Z"));
    h.awaitResource(E2BDeployment.class, "fleet", x -> x.getStatus().getDesiredReplicas() == 1
        && x.getStatus().getActiveSchedule() == null);
    h.advance(Duration.ofSeconds(30));
    h.advance(Duration.ofSeconds(30));
    h.awaitResource(E2BDeployment.class, "fleet", x -> x.getStatus().getReplicas() == 1, Duration.ofSeconds(60));
  }
}
