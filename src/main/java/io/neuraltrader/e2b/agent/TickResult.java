package io.neuraltrader.e2b.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuraltrader.e2b.api.v1alpha1.MarketObservation;
import io.neuraltrader.e2b.api.v1alpha1.Performance;
import io.neuraltrader.e2b.api.v1alpha1.Portfolio;
import io.neuraltrader.e2b.api.v1alpha1.Position;
import io.neuraltrader.e2b.api.v1alpha1.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The parsed {@code __AGENT_RESULT__} line of a tick. */
public record TickResult(long tick, List<Signal> signals, int fills, Portfolio portfolio, Performance performance,
    List<MarketObservation> observations, boolean halted, String haltReason, JsonNode state) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Finds and parses the result line in a tick's stdout; empty when the line is missing. */
  public static Optional<TickResult> fromStdout(List<String> stdout, String time) {
    String joined = String.join("", stdout);
    for (String line : joined.split("\n")) {
      if (line.startsWith(StrategyCode.RESULT_PREFIX)) {
        try {
          return Optional.of(parse(MAPPER.readTree(line.substring(StrategyCode.RESULT_PREFIX.length())), time));
        } catch (java.io.IOException e) {
          throw new IllegalStateException("unreadable tick result: " + e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  static TickResult parse(JsonNode r, String time) {
    List<Signal> signals = new ArrayList<>();
    for (JsonNode s : r.path("signals")) {
      Signal signal = new Signal();
      signal.setSymbol(s.path("symbol").asText());
      signal.setAction(s.path("action").asText());
      signal.setStrength(s.path("strength").asDouble());
      signal.setPrice(s.path("price").asDouble());
      signal.setReason(s.path("reason").asText(null));
      signal.setTime(time);
      signals.add(signal);
    }
    JsonNode p = r.path("portfolio");
    Portfolio portfolio = new Portfolio();
    portfolio.setCash(p.path("cash").asDouble());
    portfolio.setEquity(p.path("equity").asDouble());
    for (JsonNode pos : p.path("positions")) {
      Position position = new Position();
      position.setSymbol(pos.path("symbol").asText());
      position.setQuantity(pos.path("quantity").asDouble());
      position.setAvgPrice(pos.path("avgPrice").asDouble());
      position.setMarketPrice(pos.path("marketPrice").asDouble());
      position.setUnrealizedPnl(pos.path("unrealizedPnl").asDouble());
      portfolio.getPositions().add(position);
    }
    JsonNode perf = r.path("performance");
    Performance performance = new Performance();
    performance.setTotalReturn(perf.path("totalReturn").asDouble());
    performance.setSharpe(perf.path("sharpe").asDouble());
    performance.setMaxDrawdown(perf.path("maxDrawdown").asDouble());
    performance.setWinRate(perf.path("winRate").asDouble());
    performance.setTrades(perf.path("trades").asInt());
    performance.setRealizedPnl(perf.path("realizedPnl").asDouble());
    return new TickResult(r.path("tick").asLong(), signals, r.path("fills").size(), portfolio, performance,
        observations(r.path("observations")), r.path("halted").asBoolean(false), r.path("haltReason").asText(null), r.path("state"));
  }

  /** The result's observations; a figure that is missing or not a finite number stays absent. */
  static List<MarketObservation> observations(JsonNode list) {
    List<MarketObservation> out = new ArrayList<>();
    for (JsonNode o : list) {
      if (!o.path("symbol").isTextual()) {
        continue;
      }
      MarketObservation observation = new MarketObservation();
      observation.setSymbol(o.path("symbol").asText());
      observation.setWindow(o.path("window").canConvertToInt() ? o.path("window").asInt() : null);
      observation.setVolatility(number(o.path("volatility")));
      observation.setVolume(number(o.path("volume")));
      observation.setSpread(number(o.path("spread")));
      out.add(observation);
    }
    return out;
  }

  private static Double number(JsonNode node) {
    return node.isNumber() && Double.isFinite(node.asDouble()) ? node.asDouble() : null;
  }
}
