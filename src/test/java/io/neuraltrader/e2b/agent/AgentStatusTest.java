package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.Signal;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a user sees of a running agent: status fields, conditions, Prometheus gauges; and what delete removes. */
class AgentStatusTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private Gauge gauge(String name) {
    return h.operator().registry().find(name).tag("namespace", h.namespace()).tag("agent", "momentum").gauge();
  }

  @Test
  void statusConditionsAndMetricsOfARunningAgent() throws Exception {
    h.apply(Files.readString(Path.of("examples/momentum-agent.yaml")));
    h.awaitResource(TradingAgent.class, "momentum", a -> Agents.runs(a) >= 1, Duration.ofSeconds(60));
    TradingAgent a = Agents.stepUntilRuns(h, "momentum", 3, 4);
    var s = a.getStatus();

    assertEquals(AgentPhase.Running, s.getPhase());
    assertEquals(a.getMetadata().getGeneration(), s.getObservedGeneration());
    assertEquals(3, s.getRuns());
    assertEquals(0, Agents.failedRuns(a));
    assertEquals(0, s.getConsecutiveFailures());
    assertNull(s.getLastError());
    Instant last = Instant.parse(s.getLastRunAt());
    assertEquals(h.clock().instant(), last, "the tick ran at the simulated now");
    assertEquals(last.plusSeconds(10), Instant.parse(s.getNextRunAt()));
    assertNotNull(s.getLastRunDurationMs());
    assertEquals("momentum-sandbox", s.getSandboxRef());
    assertEquals(h.get(E2BSandbox.class, "momentum-sandbox").getStatus().getSandboxID(), s.getSandboxID());

    assertEquals(Set.of("AAPL", "MSFT", "NVDA"), s.getSignals().stream().map(Signal::getSymbol)
        .collect(Collectors.toSet()));
    for (Signal signal : s.getSignals()) {
      assertEquals(s.getLastRunAt(), signal.getTime());
      assertTrue(Set.of("buy", "sell", "hold").contains(signal.getAction()));
      assertTrue(signal.getPrice() > 0);
    }
    assertNotNull(s.getPortfolio().getCash());
    assertNotNull(s.getPortfolio().getEquity());
    var p = s.getPerformance();
    assertNotNull(p.getTotalReturn());
    assertNotNull(p.getSharpe());
    assertNotNull(p.getMaxDrawdown());
    assertNotNull(p.getWinRate());
    assertNotNull(p.getTrades());
    assertEquals(s.getPortfolio().getEquity() / 100000.0 - 1, p.getTotalReturn(), 1e-6);
    assertEquals(s.getPortfolio().getEquity(), s.getEquity());
    assertEquals(Math.round((s.getEquity() - 100000.0) * 100) / 100.0, s.getPnl());

    assertTrue(Agents.conditionIs(a, "Ready", "True", "Running"));
    assertTrue(Agents.conditionIs(a, "SandboxReady", "True", "Running"));
    assertTrue(Agents.conditionIs(a, "Healthy", "True", null));

    // Prometheus: e2b_agent_equity_usd / e2b_agent_pnl_usd per agent, runs by outcome.
    assertEquals(s.getEquity(), gauge(MetricNames.AGENT_EQUITY).value());
    assertEquals(s.getPnl(), gauge(MetricNames.AGENT_PNL).value());
    Counter success = h.operator().registry().find(MetricNames.AGENT_RUNS).tag("agent", "momentum")
        .tag("outcome", "success").counter();
    assertEquals(3.0, success.count());
    String scrape = h.operator().registry().scrape();
    assertTrue(scrape.contains("e2b_agent_equity_usd{agent=\"momentum\",namespace=\"default\"}"), scrape);
    assertTrue(scrape.contains("e2b_agent_pnl_usd{agent=\"momentum\",namespace=\"default\"}"));

    // Delete: sandbox, state and gauges go with the agent.
    h.client().resource(a).delete();
    h.awaitGone(TradingAgent.class, "momentum");
    h.awaitGone(E2BSandbox.class, "momentum-sandbox");
    assertNull(h.client().configMaps().inNamespace(h.namespace()).withName("momentum-state").get());
    assertNull(gauge(MetricNames.AGENT_EQUITY), "no gauge for a deleted agent");
  }
}
