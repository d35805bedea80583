package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.neuraltrader.e2b.api.v1alpha1.Position;
import io.neuraltrader.e2b.api.v1alpha1.Signal;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.StrategyBench;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java side of the tick contract for every shipped strategy: the real runtime + strategy in a local
 * sandbox (real python3) through the production StrategyRunner and HTTP client. Checks the result shape,
 * that the same seed gives the identical signal/portfolio sequence in two independent runs, and that a
 * different seed gives a different one.
 */
class StrategyContractTest {
  private static final int TICKS = 12;

  static TradingAgent agentFor(Strategy strategy, long seed) {
    TradingAgent agent = switch (strategy) {
      case momentum -> {
        TradingAgent a = Agents.agent("contract", strategy, "AAPL", "MSFT", "NVDA");
        // A short period and a low threshold so signals and fills happen within a few ticks.
        a.getSpec().setParameters(Agents.params("period", 3, "threshold", 0.005));
        yield a;
      }
      case mean_reversion -> {
        TradingAgent a = Agents.agent("contract", strategy, "AAPL", "MSFT", "NVDA");
        a.getSpec().setParameters(Agents.params("windowSize", 10, "stddevs", 1.0, "exitZ", 0.2));
        yield a;
      }
      case pairs_trading -> {
        TradingAgent a = Agents.agent("contract", strategy);
        a.getSpec().setPairs(Agents.pairs(Agents.pair("KO", "PEP"), Agents.pair("XOM", "CVX")));
        a.getSpec().setParameters(Agents.params("lookback", 20, "entryZ", 1.0, "exitZ", 0.2));
        yield a;
      }
      case arbitrage -> {
        TradingAgent a = Agents.agent("contract", strategy, "BTC", "ETH", "SOL", "ADA");
        a.getSpec().setParameters(Agents.params("feeThreshold", 0.0005));
        yield a;
      }
      case custom -> throw new IllegalArgumentException();
    };
    agent.getSpec().getMarketData().setSeed(seed);
    assertEquals(List.of(), AgentValidator.validate(agent.getSpec()), "the contract specs are valid");
    return agent;
  }

  /** What must be identical between two runs with the same inputs (time stamps excluded: they are the clock). */
  static JsonNode trace(List<TickResult> results) {
    ArrayNode out = Agents.MAPPER.createArrayNode();
    for (TickResult r : results) {
      var node = out.addObject();
      node.put("tick", r.tick());
      ArrayNode signals = node.putArray("signals");
      for (Signal s : r.signals()) {
        signals.addObject().put("symbol", s.getSymbol()).put("action", s.getAction())
            .put("strength", s.getStrength()).put("price", s.getPrice()).put("reason", s.getReason());
      }
      node.set("portfolio", Agents.json(r.portfolio()));
      node.set("performance", Agents.json(r.performance()));
      node.put("fills", r.fills());
      node.set("state", r.state());
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(value = Strategy.class, names = {"momentum", "mean_reversion", "pairs_trading", "arbitrage"})
  void resultShapeAndDeterminism(Strategy strategy) throws Exception {
    String code = StrategyCode.shipped(strategy);
    List<TickResult> first;
    List<TickResult> again;
    List<TickResult> otherSeed;
    try (StrategyBench bench = new StrategyBench()) {
      first = bench.run(agentFor(strategy, 11), code, TICKS);
    }
    try (StrategyBench bench = new StrategyBench()) {
      again = bench.run(agentFor(strategy, 11), code, TICKS);
      otherSeed = bench.run(agentFor(strategy, 12), code, TICKS);
    }

    TradingAgent agent = agentFor(strategy, 11);
    Set<String> universe = new HashSet<>();
    if (agent.getSpec().getSymbols() != null) {
      universe.addAll(agent.getSpec().getSymbols());
    }
    if (agent.getSpec().getPairs() != null) {
      agent.getSpec().getPairs().forEach(p -> {
        universe.add(p.getFirst());
        universe.add(p.getSecond());
      });
    }
    int fills = 0;
    int actions = 0;
    for (int t = 0; t < TICKS; t++) {
      TickResult r = first.get(t);
      assertEquals(t, r.tick(), "ticks count from 0");
      assertFalse(r.signals().isEmpty(), strategy + " tick " + t + " signals");
      for (Signal s : r.signals()) {
        assertTrue(universe.contains(s.getSymbol()), "signal for a traded symbol: " + s.getSymbol());
        assertTrue(Set.of("buy", "sell", "hold").contains(s.getAction()), s.getAction());
        assertTrue(s.getStrength() >= 0 && s.getStrength() <= 1, "strength in [0, 1]");
        assertTrue(s.getPrice() > 0, "price > 0");
        assertNotNull(s.getReason());
        actions += "hold".equals(s.getAction()) ? 0 : 1;
      }
      fills += r.fills();
      assertTrue(r.portfolio().getCash() >= 0, "cash never negative");
      double positionsValue = 0;
      for (Position p : r.portfolio().getPositions()) {
        assertTrue(universe.contains(p.getSymbol()));
        assertNotEquals(0.0, p.getQuantity());
        positionsValue += p.getQuantity() * p.getMarketPrice();
      }
      assertEquals(r.portfolio().getCash() + positionsValue, r.portfolio().getEquity(), 0.05,
          "equity = cash + marked positions");
      assertEquals(r.portfolio().getEquity() / 100000.0 - 1, r.performance().getTotalReturn(), 1e-6);
      assertTrue(r.performance().getMaxDrawdown() >= 0 && r.performance().getMaxDrawdown() <= 1);
      assertTrue(r.performance().getWinRate() >= 0 && r.performance().getWinRate() <= 1);
      assertTrue(r.performance().getTrades() >= 0);
      assertEquals(1, r.state().path("version").asInt());
      assertEquals(strategy.name(), r.state().path("strategy").asText());
      assertEquals(t, r.state().path("tick").asInt());
      assertFalse(r.halted());
    }
    assertTrue(actions > 0, strategy + " never signalled buy or sell in " + TICKS + " ticks");
    assertTrue(fills > 0, strategy + " never filled in " + TICKS + " ticks");
    assertTrue(first.get(TICKS - 1).performance().getTrades() >= 0);

    assertEquals(trace(first), trace(again), "same seed, independent runs: identical signals and portfolio");
    assertNotEquals(trace(first), trace(otherSeed), "another seed: another sequence");
    assertNotEquals(trace(first).get(0).get("signals"), trace(otherSeed).get(0).get("signals"),
        "another seed already differs at the first tick (other prices)");
  }
}
