package io.neuraltrader.e2b.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuraltrader.e2b.api.v1alpha1.MarketDataSpec;
import io.neuraltrader.e2b.api.v1alpha1.RiskSpec;
import io.neuraltrader.e2b.api.v1alpha1.SymbolPair;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Instant;
import java.util.Map;

/** Builds the AGENT_INPUT document of a tick: the spec, market data and state as data, never as code. */
public final class AgentInputs {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AgentInputs() {}

  /**
   * @param csv CSV prices read from the ConfigMap for marketData.type configMap, else null
   * @param httpHeaders headers (with the secret credential) for marketData.type http, else empty
   * @param symbols the symbols this agent trades (a deployment shard may replace the spec's)
   */
  public static ObjectNode build(TradingAgent agent, java.util.List<String> symbols, String csv,
      Map<String, String> httpHeaders, long tick, Instant now, JsonNode state) {
    TradingAgentSpec spec = agent.getSpec();
    ObjectNode input = MAPPER.createObjectNode();
    input.put("agent", agent.getMetadata().getNamespace() + "/" + agent.getMetadata().getName());
    input.put("strategy", spec.getStrategy().name());
    ArrayNode sym = input.putArray("symbols");
    if (symbols != null) {
      symbols.forEach(sym::add);
    }
    ArrayNode pairs = input.putArray("pairs");
    if (spec.getPairs() != null) {
      for (SymbolPair p : spec.getPairs()) {
        pairs.addArray().add(p.getFirst()).add(p.getSecond());
      }
    }
    ObjectNode params = input.putObject("parameters");
    if (spec.getParameters() != null) {
      spec.getParameters().forEach((k, v) -> {
        // Integral values go as integers: "period: 10" must not become 10.0 for the strategy.
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
          params.put(k, (long) v.doubleValue());
        } else {
          params.put(k, v);
        }
      });
    }
    RiskSpec risk = spec.getRisk() == null ? new RiskSpec() : spec.getRisk();
    ObjectNode r = input.putObject("risk");
    r.put("maxPositionFraction", risk.getMaxPositionFraction());
    r.put("stopLoss", risk.getStopLoss());
    r.put("takeProfit", risk.getTakeProfit());
    r.put("kellyFraction", risk.getKellyFraction());
    r.put("maxDrawdown", risk.getMaxDrawdown());
    r.put("slippage", risk.getSlippage() == null ? 0.0 : risk.getSlippage());
    input.put("capital", spec.getCapital());
    input.set("marketData", marketData(spec.getMarketData(), csv, httpHeaders));
    input.put("tick", tick);
    input.put("now", Times.format(now));
    // Sharpe is annualised with the agent's real tick count, not one tick per minute.
    input.put("ticksPerYear", Annualisation.ticksPerYear(spec.getInterval(), spec.getMarketHours(), now));
    input.set("state", state == null ? MAPPER.nullNode() : state);
    return input;
  }

  private static ObjectNode marketData(MarketDataSpec md, String csv, Map<String, String> headers) {
    MarketDataSpec spec = md == null ? new MarketDataSpec() : md;
    ObjectNode out = MAPPER.createObjectNode();
    switch (spec.getType()) {
      case synthetic -> {
        out.put("type", "synthetic");
        out.put("seed", spec.getSeed());
        out.put("volatility", spec.getVolatility());
        out.put("drift", spec.getDrift());
      }
      case configMap -> {
        out.put("type", "csv");
        out.put("csv", csv == null ? "" : csv);
      }
      case http -> {
        out.put("type", "http");
        out.put("url", spec.getHttp().getUrl());
        out.put("format", spec.getHttp().getFormat());
        ObjectNode h = out.putObject("headers");
        headers.forEach(h::put);
      }
    }
    return out;
  }
}
