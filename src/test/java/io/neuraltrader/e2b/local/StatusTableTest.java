package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local status screen: kubectl-like tables that fit 100 columns and say why anything is not Ready. */
class StatusTableTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  /** 09:31:40 in New York. */
  private static final Instant NOW = Instant.parse("2026-03-02T14:31:40Z");
  /** The API stamps creationTimestamp in real time; the view maps it onto the simulated clock. */
  private static final Instant REAL_CREATED = Instant.parse("2026-12-01T10:00:00Z");

  private static StatusTable.View view(boolean wide) {
    return new StatusTable.View(NOW, NEW_YORK, 100, wide,
        real -> real.equals(REAL_CREATED) ? NOW.minus(Duration.ofMinutes(21)) : real);
  }

  private static TradingAgent agent(String name, String phase, String conditions) {
    return Serialization.unmarshal("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: %s, namespace: default, creationTimestamp: "2026-12-01T10:00:00Z"}
        spec: {strategy: momentum, symbols: [AAPL]}
        status:
          phase: %s
          runs: 12
          equity: 100041.456
          pnl: 41.456
          sandboxID: idns3l6jgzyrylf3awrm
          lastRunAt: "2026-03-02T14:31:30Z"
          conditions: %s
        """.formatted(name, phase, conditions), TradingAgent.class);
  }

  private static final String RUNNING = "[{type: Ready, status: 'True', reason: Running, message: 'Tick 12 done'},"
      + " {type: Healthy, status: 'True', reason: TicksSucceeding}]";
  private static final String MISSING_POOL = "[{type: Ready, status: 'False', reason: WaitingForSandbox, message:"
      + " 'SandboxPool \"no-such-pool\" does not exist in namespace default; create it or fix spec.sandbox.poolRef"
      + " and the agent will claim a warm sandbox as soon as one is Ready'},"
      + " {type: SandboxReady, status: 'False', reason: PoolNotFound, message: 'SandboxPool \"no-such-pool\" does"
      + " not exist in namespace default; create it or fix spec.sandbox.poolRef and the agent will claim a warm"
      + " sandbox as soon as one is Ready'}]";

  private static E2BSandbox degradedSandbox() {
    return Serialization.unmarshal("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: a-sandbox-with-a-rather-long-generated-name-9873f151, namespace: default,
          creationTimestamp: "2026-12-01T10:00:00Z"}
        spec: {template: code-interpreter-v1}
        status:
          phase: Running
          sandboxID: i9gkle7gp5isr3yz93wy
          health: Degraded
          restarts: 0
          expiresAt: "2026-03-03T14:36:40Z"
          conditions:
            - {type: Ready, status: 'True', reason: Running, message: running}
            - {type: Degraded, status: 'True', reason: Degraded, message: 'executions average 2400 ms (over 2000 ms)'}
        """, E2BSandbox.class);
  }

  private static String render(boolean wide, HasMetadata... items) {
    Map<Class<? extends HasMetadata>, List<? extends HasMetadata>> byKind = new java.util.LinkedHashMap<>();
    for (HasMetadata item : items) {
      @SuppressWarnings("unchecked")
      List<HasMetadata> list = (List<HasMetadata>) byKind.computeIfAbsent(item.getClass(),
          k -> new java.util.ArrayList<HasMetadata>());
      list.add(item);
    }
    return StatusTable.render(byKind, view(wide));
  }

  @Test
  void narrowFitsOneHundredColumnsAndSaysWhyOnItsOwnLines() {
    String table = render(false, agent("momentum", "Running", RUNNING),
        agent("lost", "WaitingForSandbox", MISSING_POOL), degradedSandbox());
    table.lines().forEach(l -> assertTrue(l.length() <= 100, l.length() + " columns: " + l));
    List<String> lines = table.lines().toList();
    assertEquals("TRADINGAGENT  STRATEGY  PHASE              RUNS  EQUITY     PNL    AGE  REASON", lines.get(0));
    assertEquals("lost          momentum  WaitingForSandbox  12    100041.46  41.46  21m  PoolNotFound", lines.get(1));
    assertEquals("momentum      momentum  Running            12    100041.46  41.46  21m", lines.get(2));
    // The specific condition (SandboxReady) explains, not the Ready summary; cut to the width.
    assertTrue(lines.get(3).startsWith("why lost: SandboxPool \"no-such-pool\" does not exist in namespace default;"),
        lines.get(3));
    assertTrue(lines.get(3).endsWith("...") && lines.get(3).length() == 100, lines.get(3));
    assertTrue(table.contains("E2BSANDBOX"), table);
    assertTrue(table.contains("a-sandbox-with-a..ed-name-9873f151  Running  i9gkle7gp5isr3yz93wy  Degraded  0         21m"
        + "  Degraded\n"), table);
    assertTrue(table.contains("why a-sandbox-with-a-rather-long-generated-name-9873f151: executions average 2400 ms"
        + " (over 2000 ms)\n"), table);
    assertFalse(table.contains("SANDBOX  ") && table.contains("LAST-RUN"), "no -o wide columns: " + table);
  }

  @Test
  void wideAddsTheWideColumnsAndTheWholeMessageInTheDisplayZone() {
    String table = render(true, agent("lost", "WaitingForSandbox", MISSING_POOL), degradedSandbox());
    assertTrue(table.lines().anyMatch(l -> l.length() > 100), "wide cuts nothing");
    assertTrue(table.contains("LAST-RUN") && table.contains("MESSAGE"), table);
    // Last-Run 14:31:30Z is 09:31:30 in New York, today; Expires is tomorrow there, so with its date.
    assertTrue(table.contains("idns3l6jgzyrylf3awrm  09:31:30"), table);
    assertTrue(table.contains("03-03 09:36"), table);
    assertTrue(table.contains("PoolNotFound  SandboxPool \"no-such-pool\" does not exist in namespace default;"
        + " create it or fix spec.sandbox.poolRef and the agent will claim a warm sandbox as soon as one is Ready"),
        table);
    assertFalse(table.contains("why "), "the message is in its column");
  }

  @Test
  void noReasonColumnWhenEverythingIsReady() {
    String table = render(false, agent("momentum", "Running", RUNNING));
    assertFalse(table.contains("REASON"), table);
  }

  @Test
  void reasonsPreferTheSpecificConditionAndIgnoreProgressing() {
    var conditions = Serialization.unmarshal("""
        - {type: Available, status: 'True', reason: MinimumReplicasAvailable}
        - {type: Progressing, status: 'False', reason: Complete, message: all agents updated}
        - {type: Ready, status: 'True', reason: AllAgentsReady}
        """, com.fasterxml.jackson.databind.JsonNode.class);
    assertEquals(null, StatusTable.reason(conditions));
    var limited = Serialization.unmarshal("""
        - {type: Ready, status: 'False', reason: AwaitingApproval, message: waits}
        - {type: ScalingLimited, status: 'True', reason: MaxScaleUpFactor, message: 'needs approval'}
        """, com.fasterxml.jackson.databind.JsonNode.class);
    assertEquals(new StatusTable.Why("MaxScaleUpFactor", "needs approval"), StatusTable.reason(limited));
  }

  @Test
  void aSandboxWithinItsErrorBaselineAndNeverRemediatedHasNoReason() {
    var healthy = Serialization.unmarshal("""
        - {type: Ready, status: 'True', reason: Running}
        - {type: Anomalous, status: 'False', reason: NoBaseline, message: no baseline yet}
        - {type: SandboxRemediation, status: 'False', reason: SandboxHealthy, message: fine}
        """, com.fasterxml.jackson.databind.JsonNode.class);
    assertEquals(null, StatusTable.reason(healthy));
    var spiking = Serialization.unmarshal("""
        - {type: Ready, status: 'True', reason: Running}
        - {type: Anomalous, status: 'True', reason: ErrorRateSpike, message: 'error rate 0.5'}
        """, com.fasterxml.jackson.databind.JsonNode.class);
    assertEquals(new StatusTable.Why("ErrorRateSpike", "error rate 0.5"), StatusTable.reason(spiking));
  }

  @Test
  void agesAreOnTheSimulatedClock() {
    assertEquals("59s", StatusTable.age(Duration.ofSeconds(59)));
    assertEquals("21m", StatusTable.age(Duration.ofMinutes(21)));
    assertEquals("5h", StatusTable.age(Duration.ofHours(5)));
    assertEquals("3d", StatusTable.age(Duration.ofDays(3)));
    SimulatedClock clock = SimulatedClock.frozenAt(NOW);
    StatusTable.View view = StatusTable.View.of(clock, NEW_YORK, 100, false);
    // A real timestamp months after the simulated time is not a negative age: it maps onto the clock.
    assertEquals(NOW, view.simulated().apply(REAL_CREATED));
  }
}
