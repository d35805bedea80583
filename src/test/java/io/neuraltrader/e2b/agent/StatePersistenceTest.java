package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import io.neuraltrader.e2b.testing.StrategyBench;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The state survives: after every tick it is in ConfigMap {@code <agent>-state}; a killed sandbox is replaced
 * and the replacement restored from it; an operator restart continues from it. The agent's portfolio after
 * each interruption equals that of an uninterrupted run of the same spec (computed independently).
 */
class StatePersistenceTest {
  private static final String AGENT = """
      apiVersion: e2b.neuraltrader.io/v1alpha1
      kind: TradingAgent
      metadata: {name: keeper}
      spec:
        strategy: momentum
        symbols: [AAPL, MSFT, NVDA]
        parameters: {period: 3, threshold: 0.005}
        interval: 10s
        marketData: {type: synthetic, seed: 5}
        sandbox: {template: {template: code-interpreter-v1, timeoutSeconds: 300}}
      """;
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private JsonNode persistedState() throws Exception {
    ConfigMap map = h.client().configMaps().inNamespace(h.namespace()).withName("keeper-state").get();
    return Agents.MAPPER.readTree(map.getData().get(AgentStateStore.KEY));
  }

  private static void assertSameBook(TickResult expected, TradingAgent actual, String when) {
    assertEquals(Agents.json(expected.portfolio()), Agents.json(actual.getStatus().getPortfolio()), when);
    assertEquals(Agents.json(expected.performance()), Agents.json(actual.getStatus().getPerformance()), when);
  }

  @Test
  void aLostSandboxAndAnOperatorRestartContinueFromThePersistedState() throws Exception {
    h.apply(AGENT);
    h.awaitResource(TradingAgent.class, "keeper", a -> Agents.runs(a) >= 1);
    TradingAgent agent = Agents.stepUntilRuns(h, "keeper", 3, 5);

    // An uninterrupted run of the same spec, in an independent runtime.
    List<TickResult> uninterrupted;
    try (StrategyBench bench = new StrategyBench()) {
      uninterrupted = bench.run(agent, StrategyCode.shipped(Strategy.momentum), 7);
    }
    assertSameBook(uninterrupted.get(2), agent, "before any loss");
    assertTrue(uninterrupted.stream().limit(3).anyMatch(r -> r.fills() > 0), "the book has trades to lose");

    ConfigMap map = h.client().configMaps().inNamespace(h.namespace()).withName("keeper-state").get();
    assertEquals(agent.getMetadata().getUid(), map.getMetadata().getOwnerReferences().get(0).getUid(),
        "the state is owned by the agent");
    assertEquals("3", map.getData().get("tick"));
    JsonNode before = persistedState();
    assertEquals(2, before.path("tick").asInt());
    assertEquals(uninterrupted.get(2).state(), before, "exactly the state of the last tick");

    // Kill the sandbox behind the operator's back: the E2BSandbox controller recreates it.
    String lostId = agent.getStatus().getSandboxID();
    assertTrue(h.runtime().kill(lostId));
    h.awaitResource(E2BSandbox.class, "keeper-sandbox", s -> s.getStatus().getSandboxID() != null
        && !lostId.equals(s.getStatus().getSandboxID()));
    TradingAgent restored = Agents.stepUntilRuns(h, "keeper", 4, 6);
    assertNotEquals(lostId, restored.getStatus().getSandboxID(), "ticks run in the replacement");
    assertEquals(4, restored.getStatus().getRuns());
    assertSameBook(uninterrupted.get(3), restored, "after the sandbox was lost");
    assertNotEquals(100000.0, restored.getStatus().getPortfolio().getEquity(), "not reset to capital");
    assertTrue(h.events("keeper").stream().anyMatch(e -> "StrategyDeployed".equals(e.getReason())
        && e.getMessage().contains("restored its state from ConfigMap keeper-state (tick 3)")),
        "the redeploy restored the persisted state");
    assertSameBook(uninterrupted.get(4), Agents.stepUntilRuns(h, "keeper", 5, 3), "the tick after the restore");
    assertEquals(uninterrupted.get(4).state(), persistedState());

    // A new operator instance knows nothing but the API: it continues from status and the ConfigMap.
    h.restartOperator();
    TradingAgent afterRestart = Agents.stepUntilRuns(h, "keeper", 6, 4);
    assertSameBook(uninterrupted.get(5), afterRestart, "after an operator restart");
    afterRestart = Agents.stepUntilRuns(h, "keeper", 7, 3);
    assertSameBook(uninterrupted.get(6), afterRestart, "and the tick after");
    assertEquals(uninterrupted.get(6).state(), persistedState());
    assertNotNull(afterRestart.getStatus().getLastRunAt());
  }
}
