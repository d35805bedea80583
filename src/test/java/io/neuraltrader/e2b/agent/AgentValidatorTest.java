package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.CodeSource;
import io.neuraltrader.e2b.api.v1alpha1.GuardrailsSpec;
import io.neuraltrader.e2b.api.v1alpha1.HttpMarketData;
import io.neuraltrader.e2b.api.v1alpha1.KeySelector;
import io.neuraltrader.e2b.api.v1alpha1.LocalRef;
import io.neuraltrader.e2b.api.v1alpha1.MarketDataType;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentValidatorTest {
  private static TradingAgentSpec momentum() {
    return Agents.agent("a", Strategy.momentum, "AAPL", "MSFT").getSpec();
  }

  private static String only(TradingAgentSpec spec) {
    List<String> problems = AgentValidator.validate(spec);
    assertEquals(1, problems.size(), problems.toString());
    return problems.get(0);
  }

  @Test
  void aDefaultSpecOfEveryStrategyIsValid() {
    assertEquals(List.of(), AgentValidator.validate(momentum()));
    for (Strategy s : List.of(Strategy.mean_reversion, Strategy.arbitrage)) {
      assertEquals(List.of(), AgentValidator.validate(Agents.agent("a", s, "X").getSpec()));
    }
    TradingAgentSpec pairs = Agents.agent("a", Strategy.pairs_trading).getSpec();
    pairs.setPairs(Agents.pairs(Agents.pair("KO", "PEP")));
    assertEquals(List.of(), AgentValidator.validate(pairs));
  }

  @Test
  void hostileSymbolsAreRejectedAndQuotedSafely() {
    TradingAgentSpec spec = momentum();
    spec.setSymbols(List.of("AAPL", "\"; import os", "X'); open('/tmp/p','w').write('x", "aapl", ""));
    List<String> problems = AgentValidator.validate(spec);
    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("symbols[1] \"\\\"; import os\" must match"), problems.get(0));
    assertTrue(problems.get(1).startsWith("symbols[2] "), problems.get(1));
    assertTrue(problems.get(2).startsWith("symbols[3] \"aapl\""), problems.get(2));
    TradingAgentSpec newline = momentum();
    newline.setSymbols(List.of("A\nB"));
    assertTrue(only(newline).contains("\"A\\u000aB\""), "control characters are escaped");

    TradingAgentSpec pairs = Agents.agent("a", Strategy.pairs_trading).getSpec();
    pairs.setPairs(Agents.pairs(Agents.pair("KO", "__import__('os')"), Agents.pair("XOM", "XOM")));
    List<String> pairProblems = AgentValidator.validate(pairs);
    assertEquals(2, pairProblems.size(), pairProblems.toString());
    assertTrue(pairProblems.get(0).startsWith("pairs[0].second"));
    assertTrue(pairProblems.get(1).contains("paired with itself"));
  }

  @Test
  void symbolsNeededDuplicatesAndLimits() {
    TradingAgentSpec none = momentum();
    none.setSymbols(null);
    assertTrue(only(none).contains("needs at least one symbol"));
    TradingAgentSpec dup = momentum();
    dup.setSymbols(List.of("A", "A"));
    assertTrue(only(dup).contains("listed twice"));
    TradingAgentSpec many = momentum();
    many.setSymbols(java.util.stream.IntStream.range(0, 51).mapToObj(i -> "S" + i).toList());
    assertFalse(AgentValidator.validate(many).isEmpty());
    TradingAgentSpec pairs = Agents.agent("a", Strategy.pairs_trading).getSpec();
    assertTrue(only(pairs).contains("needs at least one pair"));
  }

  @Test
  void parametersByStrategyWithTheRuntimesBounds() {
    TradingAgentSpec spec = momentum();
    spec.setParameters(Agents.params("period", 10, "threshold", 0.02));
    assertEquals(List.of(), AgentValidator.validate(spec));
    spec.setParameters(Agents.params("period", 10.5));
    assertTrue(only(spec).contains("whole number"));
    spec.setParameters(Agents.params("period", 256));
    assertEquals("parameters.period = 256 is outside [1, 255]", only(spec));
    spec.setParameters(Agents.params("threshold", 0));
    assertEquals("parameters.threshold = 0 is outside (0, 1]", only(spec));
    spec.setParameters(Agents.params("lookback", 20));
    assertTrue(only(spec).contains("is not a parameter of momentum"));
    spec.setParameters(Agents.params("period", Double.NaN));
    assertTrue(only(spec).contains("finite number"));
    spec.setParameters(Agents.params("os.system", 1));
    assertTrue(only(spec).contains("name \"os.system\" must match"));

    TradingAgentSpec arb = Agents.agent("a", Strategy.arbitrage, "BTC").getSpec();
    arb.setParameters(Agents.params("feeThreshold", 0.1));
    assertEquals("parameters.feeThreshold = 0.1 is outside [0, 0.1)", only(arb), "the runtime excludes 0.1");

    TradingAgentSpec mr = Agents.agent("a", Strategy.mean_reversion, "X").getSpec();
    mr.setParameters(Agents.params("stddevs", 1.0, "exitZ", 1.0));
    assertTrue(only(mr).contains("exitZ (1) must be below stddevs (1)"));
    mr.setParameters(Agents.params("stddevs", 0.4));
    assertTrue(only(mr).contains("exitZ (0.5) must be below stddevs (0.4)"), "defaults count");

    TradingAgentSpec custom = Agents.agent("a", Strategy.custom, "X").getSpec();
    custom.setCode(new CodeSource());
    custom.getCode().setConfigMapRef(new KeySelector("code", "strategy.py"));
    custom.setParameters(Agents.params("anything", 3.5));
    assertEquals(List.of(), AgentValidator.validate(custom), "custom parameters are the strategy's business");
    custom.setCode(null);
    assertTrue(only(custom).contains("code.configMapRef"));
  }

  @Test
  void riskBoundsOfTheRuntime() {
    TradingAgentSpec spec = momentum();
    spec.getRisk().setStopLoss(1.0);
    assertEquals("risk.stopLoss = 1 is outside (0, 1)", only(spec));
    spec.getRisk().setStopLoss(0.05);
    spec.getRisk().setMaxDrawdown(null);
    assertTrue(only(spec).startsWith("risk.maxDrawdown must be a finite number"));
  }

  @Test
  void intervalSourcesMarketDataAndGuardrails() {
    TradingAgentSpec spec = momentum();
    spec.setInterval("500ms");
    assertTrue(only(spec).contains("between 1s and 24h"));
    spec.setInterval("1s; rm -rf /");
    assertTrue(only(spec).contains("must be a duration"));
    spec.setInterval("60s");

    spec.getSandbox().setPoolRef(new LocalRef("pool"));
    assertTrue(only(spec).contains("exactly one of poolRef, sandboxRef or template (2 set)"));
    spec.setSandbox(null);
    assertTrue(only(spec).contains("sandbox is required"));
    spec.setSandbox(Agents.agent("b", Strategy.momentum, "A").getSpec().getSandbox());

    spec.getMarketData().setType(MarketDataType.configMap);
    assertTrue(only(spec).contains("marketData.configMapRef"));
    spec.getMarketData().setConfigMapRef(new KeySelector("prices", "prices.csv"));
    assertEquals(List.of(), AgentValidator.validate(spec));
    spec.getMarketData().setType(MarketDataType.http);
    assertTrue(only(spec).contains("marketData.http is required"));
    HttpMarketData http = new HttpMarketData();
    http.setUrl("http://x/'+__import__('os').system('id')+'");
    spec.getMarketData().setHttp(http);
    assertTrue(only(spec).startsWith("marketData.http.url"));
    http.setUrl("https://prices.example.com/v1/quotes");
    http.setHeaderName("X-Key: evil\r\n");
    assertTrue(only(spec).startsWith("marketData.http.headerName"));
    http.setHeaderName("X-Api-Key");
    assertEquals(List.of(), AgentValidator.validate(spec));

    GuardrailsSpec rails = new GuardrailsSpec();
    spec.setGuardrails(rails);
    assertTrue(only(spec).startsWith("guardrails.minWinRate"), "minWinRate is required (a null would crash)");
    rails.setMinWinRate(0.4);
    assertEquals(List.of(), AgentValidator.validate(spec));
  }

  @Test
  void theShippedExamplesAreValid() throws Exception {
    for (String file : List.of("examples/momentum-agent.yaml", "examples/pairs-agent.yaml")) {
      TradingAgent agent = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
          java.nio.file.Files.readString(java.nio.file.Path.of(file)), TradingAgent.class);
      assertEquals(List.of(), AgentValidator.validate(agent.getSpec()), file);
    }
  }
}
