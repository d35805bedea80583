package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuraltrader.e2b.api.v1alpha1.Position;
import io.neuraltrader.e2b.api.v1alpha1.RiskSpec;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.StrategyBench;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** risk.slippage reaches the runtime, so paper fills pay for crossing the spread. */
class SlippageTest {
  @Test
  void theSpecsSlippageIsSentAndBounded() {
    TradingAgent agent = Agents.agent("a", Strategy.momentum, "AAPL");
    RiskSpec risk = new RiskSpec();
    risk.setSlippage(0.001);
    agent.getSpec().setRisk(risk);
    JsonNode input = AgentInputs.build(agent, agent.getSpec().getSymbols(), null, Map.of(), 0,
        Instant.parse("2026-03-02T15:00:00Z"), null);
    assertEquals(0.001, input.path("risk").path("slippage").asDouble());
    assertEquals(0.0, new RiskSpec().getSlippage(), "no slippage unless asked for");
    risk.setSlippage(0.06);
    assertTrue(AgentValidator.validate(agent.getSpec()).stream().anyMatch(e -> e.startsWith("risk.slippage")));
    risk.setSlippage(-0.001);
    assertTrue(AgentValidator.validate(agent.getSpec()).stream().anyMatch(e -> e.startsWith("risk.slippage")));
  }

  @Test
  void fillsMoveAgainstTheTraderByTheSlippage() throws Exception {
    TradingAgent agent = StrategyContractTest.agentFor(Strategy.momentum, 11);
    RiskSpec risk = new RiskSpec();
    risk.setSlippage(0.01);
    agent.getSpec().setRisk(risk);
    List<TickResult> results;
    try (StrategyBench bench = new StrategyBench()) {
      results = bench.run(agent, StrategyCode.shipped(Strategy.momentum), 12);
    }
    int opened = 0;
    List<String> held = List.of();
    for (TickResult r : results) {
      for (Position p : r.portfolio().getPositions()) {
        if (!held.contains(p.getSymbol())) {
          // Opened this tick: bought 1% above the quote, or sold short 1% below it.
          double expected = p.getMarketPrice() * (p.getQuantity() > 0 ? 1.01 : 0.99);
          assertEquals(expected, p.getAvgPrice(), 1e-6 + expected * 1e-6, p.getSymbol() + " at tick " + r.tick());
          opened++;
        }
      }
      held = r.portfolio().getPositions().stream().map(Position::getSymbol).toList();
    }
    assertTrue(opened > 0, "the run opened positions");
  }
}
