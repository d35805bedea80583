package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuraltrader.e2b.api.v1alpha1.HttpMarketData;
import io.neuraltrader.e2b.api.v1alpha1.MarketDataType;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentInputsTest {
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  private static final List<String> HOSTILE = List.of("\"; import os", "X'); open('/tmp/pwned','w').write('x",
      "\\\"}, \"strategy\": \"custom", "</script>\n\u0000");

  /** Every text value in the document, wherever it is. */
  private static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isTextual()) {
      out.add(node.textValue());
    }
    node.forEach(child -> out.addAll(texts(child)));
    node.fieldNames().forEachRemaining(f -> {
      if (HOSTILE.stream().anyMatch(f::contains)) {
        out.add("FIELD NAME:" + f);
      }
    });
    return out;
  }

  @Test
  void hostileStringsTravelOnlyAsJsonStringValues() throws Exception {
    TradingAgent agent = Agents.agent("a", Strategy.momentum, "AAPL");
    agent.getSpec().getMarketData().setType(MarketDataType.configMap);
    agent.getSpec().getMarketData().setConfigMapRef(new io.neuraltrader.e2b.api.v1alpha1.KeySelector("p", "c"));
    String csv = "timestamp,symbol,price\n1,AAPL,100\n\"; import os\n";
    String text = AgentInputs.build(agent, HOSTILE, csv, Map.of(), 0, NOW, null).toString();
    JsonNode parsed = Agents.MAPPER.readTree(text);
    List<String> symbols = new ArrayList<>();
    parsed.path("symbols").forEach(s -> {
      assertTrue(s.isTextual());
      symbols.add(s.textValue());
    });
    assertEquals(HOSTILE, symbols, "exactly the given strings, as string values");
    assertEquals(csv, parsed.path("marketData").path("csv").textValue());
    for (int i = text.indexOf("\"; import os"); i >= 0; i = text.indexOf("\"; import os", i + 1)) {
      assertEquals('\\', text.charAt(i - 1), "every quote of the hostile symbol is escaped in the JSON text");
    }
    assertFalse(text.contains("\u0000") && text.indexOf('\u0000') >= 0, "control characters are escaped");
    List<String> all = texts(parsed);
    assertTrue(all.stream().noneMatch(t -> t.startsWith("FIELD NAME:")), "no hostile text became a field name");
    assertEquals("momentum", parsed.path("strategy").textValue(), "the strategy is not overridden");
    List<String> fields = new ArrayList<>();
    parsed.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("agent", "strategy", "symbols", "pairs", "parameters", "risk", "capital", "marketData",
        "tick", "now", "ticksPerYear", "state"), fields, "only the documented top-level fields");
  }

  @Test
  void numbersStayNumbersAndTheDocumentHasTheContractFields() throws Exception {
    TradingAgent agent = Agents.agent("mom", Strategy.momentum, "AAPL", "MSFT");
    agent.getSpec().setParameters(Agents.params("period", 10, "threshold", 0.02));
    ObjectNode state = Agents.MAPPER.createObjectNode().put("tick", 4);
    JsonNode in = AgentInputs.build(agent, agent.getSpec().getSymbols(), null, Map.of(), 5, NOW, state);
    assertEquals("default/mom", in.path("agent").textValue());
    assertTrue(in.path("parameters").path("period").isIntegralNumber(), "period 10 goes as 10, not 10.0");
    assertTrue(in.path("parameters").path("threshold").isFloatingPointNumber());
    assertEquals(0.1, in.path("risk").path("maxPositionFraction").doubleValue());
    assertEquals(100000.0, in.path("capital").doubleValue());
    assertEquals(5, in.path("tick").longValue());
    assertEquals("2026-03-02T15:00:00Z", in.path("now").textValue());
    assertEquals(state, in.path("state"));
    assertEquals("synthetic", in.path("marketData").path("type").textValue());
    assertEquals(42, in.path("marketData").path("seed").longValue());
    assertTrue(AgentInputs.build(agent, agent.getSpec().getSymbols(), null, Map.of(), 0, NOW, null)
        .path("state").isNull());

    TradingAgent pairs = Agents.agent("p", Strategy.pairs_trading);
    pairs.getSpec().setPairs(Agents.pairs(Agents.pair("KO", "PEP")));
    JsonNode p = AgentInputs.build(pairs, null, null, Map.of(), 0, NOW, null);
    assertEquals("[[\"KO\",\"PEP\"]]", p.path("pairs").toString());
    assertEquals(0, p.path("symbols").size());
  }

  @Test
  void theHttpCredentialIsAHeaderValueInTheData() {
    TradingAgent agent = Agents.agent("h", Strategy.momentum, "AAPL");
    agent.getSpec().getMarketData().setType(MarketDataType.http);
    HttpMarketData http = new HttpMarketData();
    http.setUrl("https://prices.example.com/q");
    agent.getSpec().getMarketData().setHttp(http);
    String secret = "Bearer s3cr3t'); import os #";
    JsonNode in = AgentInputs.build(agent, agent.getSpec().getSymbols(), null, Map.of("Authorization", secret), 0,
        NOW, null);
    JsonNode md = in.path("marketData");
    assertEquals("http", md.path("type").textValue());
    assertEquals("https://prices.example.com/q", md.path("url").textValue());
    assertEquals("json", md.path("format").textValue());
    assertEquals(secret, md.path("headers").path("Authorization").textValue());
  }
}
