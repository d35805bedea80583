package io.neuraltrader.e2b.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeploymentStatus;
import io.neuraltrader.e2b.api.v1alpha1.HealthCounts;
import io.neuraltrader.e2b.api.v1alpha1.HealthState;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.catalog.HealthReport.Alert;
import io.neuraltrader.e2b.shared.CostModel;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FleetHealthReportTest {
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  private final CatalogFixture fx = new CatalogFixture(FleetHealthReportTest.class);
  private final FleetHealthReport health = new FleetHealthReport(fx.operatorClient, Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterEach
  void close() {
    fx.close();
  }

  static Stream<Arguments> thresholdTable() {
    return Stream.of(
        // errorRate, p95 ms, unhealthy sandboxes -> alerts (severity metric), most severe per metric only
        Arguments.of(0.049, 1999L, 2, List.of()),
        Arguments.of(null, null, 0, List.of()),
        Arguments.of(0.05, null, 0, List.of("warning errorRate")),
        Arguments.of(0.0999, null, 0, List.of("warning errorRate")),
        Arguments.of(0.10, null, 0, List.of("critical errorRate")),
        Arguments.of(null, 2000L, 0, List.of("warning p95LatencyMs")),
        Arguments.of(null, 4999L, 0, List.of("warning p95LatencyMs")),
        Arguments.of(null, 5000L, 0, List.of("critical p95LatencyMs")),
        Arguments.of(null, null, 3, List.of("critical unhealthySandboxes")),
        Arguments.of(0.06, 6000L, 4, List.of("warning errorRate", "critical p95LatencyMs",
            "critical unhealthySandboxes")));
  }

  @ParameterizedTest(name = "errors {0}, p95 {1} ms, {2} unhealthy: {3}")
  @MethodSource("thresholdTable")
  void alertThresholds(Double errorRate, Long p95, int unhealthy, List<String> expected) {
    List<Alert> alerts = FleetHealthReport.alerts(errorRate, p95, unhealthy);
    assertEquals(expected, alerts.stream().map(a -> a.severity() + " " + a.metric()).toList());
  }

  @Test
  void anAlertCarriesTheFigureThatFiredIt() {
    Alert a = FleetHealthReport.alerts(0.125, null, 0).get(0);
    assertEquals(0.125, a.value());
    assertEquals(0.10, a.threshold());
    assertEquals("error rate 12.5% reached the critical threshold of 10%", a.message());
  }

  @Test
  void p95IsTheNearestRank() {
    assertNull(FleetHealthReport.percentile95(List.of()));
    assertEquals(7L, FleetHealthReport.percentile95(List.of(7L)));
    List<Long> hundred = Stream.iterate(1L, i -> i + 1).limit(100).toList();
    assertEquals(95L, FleetHealthReport.percentile95(hundred));
    assertEquals(20L, FleetHealthReport.percentile95(List.of(20L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L)));
  }

  @Test
  void anEmptyNamespaceIsOk() {
    HealthReport r = health.report(fx.ns);
    assertEquals("ok", r.status());
    assertEquals(0, r.sandboxes().total());
    assertNull(r.errorRate());
    assertNull(r.p95LatencyMs());
    assertEquals(0.0, r.costPerHourUSD());
    assertEquals(List.of(), r.alerts());
    assertEquals(FleetHealthReport.THRESHOLDS, r.thresholds());
  }

  @Test
  void reportsTheFleetFromStatus() throws Exception {
    // Three unhealthy sandboxes (critical), 120 of 1000 executions failed (critical), agents' ticks slow.
    for (int i = 0; i < 3; i++) {
      fx.sandbox("bad-" + i, s -> {
        s.setPhase(SandboxPhase.Running);
        s.setHealth(HealthState.Unhealthy);
        s.setCpuCount(2);
        s.setMemoryMB(1024);
        s.setExecutionCount(100L);
        s.setExecutionErrors(40L);
        s.setFirstStartedAt("2026-03-02T14:00:00Z"); // 60 minutes ago: 100 / 60 per minute
        s.setEstimatedCostUSD(0.1);
      });
    }
    fx.sandbox("good", s -> {
      s.setPhase(SandboxPhase.Running);
      s.setHealth(HealthState.Healthy);
      s.setCpuCount(4);
      s.setMemoryMB(2048);
      s.setExecutionCount(700L);
      s.setStartedAt("2026-03-02T14:50:00Z"); // 10 minutes ago: 70 per minute
      s.setAverageExecutionMs(100L);
    });
    fx.sandbox("paused", s -> {
      s.setPhase(SandboxPhase.Paused);
      s.setHealth(HealthState.Degraded);
      s.setCpuCount(8);
      s.setMemoryMB(8192);
    });
    fx.sandbox("new", s -> s.setPhase(SandboxPhase.Creating));
    fx.agent(CatalogFixture.momentumAgent("a1"), st -> {
      st.setPhase(AgentPhase.Running);
      st.setSandboxRef("good"); // its sandbox's average is not sampled again
      st.setLastRunDurationMs(6200L);
      st.setRuns(50L);
      st.setFailedRuns(2L);
      st.setConsecutiveFailures(1);
    });
    fx.agent(CatalogFixture.momentumAgent("a2"), st -> {
      st.setPhase(AgentPhase.WaitingForSandbox);
      st.setLastRunDurationMs(300L);
    });
    fx.cluster.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BDeployment
        metadata:
          name: fleet
        spec:
          replicas: 4
          template:
            spec:
              strategy: momentum
              symbols: [AAPL]
              sandbox:
                template:
                  template: code-interpreter-v1
        """);
    E2BDeployment d = fx.client.resources(E2BDeployment.class).inNamespace(fx.ns).withName("fleet").get();
    E2BDeploymentStatus ds = new E2BDeploymentStatus();
    ds.setReplicas(4);
    ds.setReadyReplicas(3);
    HealthCounts hc = new HealthCounts();
    hc.setHealthy(3);
    hc.setUnhealthy(1);
    ds.setHealth(hc);
    d.setStatus(ds);
    fx.client.resource(d).updateStatus();

    HealthReport r = health.report(fx.ns);
    assertEquals("2026-03-02T15:00:00Z", r.generatedAt());
    assertEquals(new HealthReport.SandboxTotals(6, 1, 1, 3, 1,
        Map.of("Running", 4, "Paused", 1, "Creating", 1)), r.sandboxes());
    assertEquals(new HealthReport.AgentTotals(2, 1, Map.of("Running", 1, "WaitingForSandbox", 1), 50, 2),
        r.agents());
    assertEquals(new HealthReport.DeploymentTotals(1, 4, 3, 3, 0, 1), r.deployments());
    assertEquals(1000, r.executions());
    assertEquals(120, r.executionErrors());
    assertEquals(0.12, r.errorRate());
    // Samples: a1 6200, a2 300 (sandbox "good" is a1's): nearest-rank p95 of two is the larger.
    assertEquals(2, r.latencySamples());
    assertEquals(6200L, r.p95LatencyMs());
    assertEquals(Math.round((3 * 100 / 60.0 + 70) * 1000) / 1000.0, r.throughputPerMinute());
    CostModel prices = CostModel.E2B_LIST_PRICES;
    double perHour = 3 * prices.perHour(2, 1024) + prices.perHour(4, 2048);
    assertEquals(Math.round(perHour * 10_000) / 10_000.0, r.costPerHourUSD(), "paused and creating cost nothing");
    assertEquals(Math.round(perHour * 720 * 100) / 100.0, r.projectedMonthlyCostUSD());
    assertEquals(0.3, r.accruedCostUSD(), 1e-9);
    assertEquals("critical", r.status());
    assertEquals(List.of("critical errorRate", "critical p95LatencyMs", "critical unhealthySandboxes"),
        r.alerts().stream().map(a -> a.severity() + " " + a.metric()).toList());
    assertEquals(6200.0, r.alerts().get(1).value());

    String json = new ObjectMapper().writeValueAsString(r);
    assertTrue(json.contains("\"status\":\"critical\""), json);
    assertTrue(json.contains("\"projectedMonthlyCostUSD\""), json);
  }

  @Test
  void aWarningFleet() {
    fx.sandbox("s", s -> {
      s.setPhase(SandboxPhase.Running);
      s.setHealth(HealthState.Degraded);
      s.setExecutionCount(100L);
      s.setExecutionErrors(6L);
      s.setAverageExecutionMs(2500L);
    });
    HealthReport r = health.report(fx.ns);
    assertEquals("warning", r.status());
    assertEquals(List.of("warning errorRate", "warning p95LatencyMs"),
        r.alerts().stream().map(a -> a.severity() + " " + a.metric()).toList());
    assertEquals(0.0, r.throughputPerMinute(), "no start time in status: no rate");
  }
}
