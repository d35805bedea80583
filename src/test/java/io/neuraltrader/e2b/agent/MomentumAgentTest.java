package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** examples/momentum-agent.yaml through the running operator: ticks, signals, an evolving portfolio, state. */
class MomentumAgentTest {
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
  void theExampleTradesTickByTickAndPersistsItsState() throws Exception {
    h.apply(Files.readString(Path.of("examples/momentum-agent.yaml")));
    TradingAgent first = h.awaitResource(TradingAgent.class, "momentum",
        a -> a.getStatus() != null && a.getStatus().getRuns() != null && a.getStatus().getRuns() >= 1,
        Duration.ofSeconds(60));
    assertEquals(AgentPhase.Running, first.getStatus().getPhase());
    assertEquals(3, first.getStatus().getSignals().size());
    assertNotNull(first.getStatus().getPortfolio().getEquity());
    for (int i = 2; i <= 5; i++) {
      h.advance(Duration.ofSeconds(10));
      int expected = i;
      h.awaitResource(TradingAgent.class, "momentum", a -> a.getStatus().getRuns() >= expected, Duration.ofSeconds(30));
    }
    TradingAgent later = h.get(TradingAgent.class, "momentum");
    assertEquals(5, later.getStatus().getRuns());
    assertEquals(0, later.getStatus().getFailedRuns() == null ? 0 : later.getStatus().getFailedRuns());
    ConfigMap state = h.client().configMaps().inNamespace(h.namespace()).withName("momentum-state").get();
    assertNotNull(state);
    assertTrue(state.getData().get("state.json").contains("\"tick\""));
    assertFalse(later.getStatus().getSignals().isEmpty());
    h.awaitEvent("momentum", "StrategyDeployed");
  }
}
