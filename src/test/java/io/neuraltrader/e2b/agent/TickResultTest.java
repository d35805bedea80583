package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TickResultTest {
  private static final String LINE = StrategyCode.RESULT_PREFIX + "{\"tick\":3,"
      + "\"signals\":[{\"symbol\":\"AAPL\",\"action\":\"buy\",\"strength\":0.5,\"price\":101.5,\"reason\":\"ROC\"},"
      + "{\"symbol\":\"MSFT\",\"action\":\"hold\",\"strength\":0,\"price\":300,\"reason\":\"flat\"}],"
      + "\"fills\":[{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":10,\"price\":101.5}],"
      + "\"portfolio\":{\"cash\":98985.0,\"equity\":100000.0,\"positions\":[{\"symbol\":\"AAPL\",\"quantity\":10,"
      + "\"avgPrice\":101.5,\"marketPrice\":101.5,\"unrealizedPnl\":0}]},"
      + "\"performance\":{\"totalReturn\":0.01,\"sharpe\":1.5,\"maxDrawdown\":0.02,\"winRate\":0.6,\"trades\":5,"
      + "\"realizedPnl\":120.5},\"observations\":[{\"symbol\":\"AAPL\",\"window\":10,\"volatility\":0.031,"
      + "\"volume\":1500000,\"spread\":0.0004},{\"symbol\":\"MSFT\",\"window\":10,\"volatility\":\"NaN\"},"
      + "{\"window\":3}],\"halted\":false,\"haltReason\":null,\"state\":{\"version\":1,\"tick\":3}}";

  @Test
  void parsesTheResultLineAmongOtherOutput() {
    // stdout arrives in chunks that need not end at line boundaries.
    List<String> stdout = List.of("noise\n" + LINE.substring(0, 40), LINE.substring(40) + "\n", "more\n");
    TickResult r = TickResult.fromStdout(stdout, "2026-03-02T15:00:00Z").orElseThrow();
    assertEquals(3, r.tick());
    assertEquals(2, r.signals().size());
    assertEquals("AAPL", r.signals().get(0).getSymbol());
    assertEquals("buy", r.signals().get(0).getAction());
    assertEquals(0.5, r.signals().get(0).getStrength());
    assertEquals(101.5, r.signals().get(0).getPrice());
    assertEquals("ROC", r.signals().get(0).getReason());
    assertEquals("2026-03-02T15:00:00Z", r.signals().get(0).getTime());
    assertEquals(1, r.fills());
    assertEquals(98985.0, r.portfolio().getCash());
    assertEquals(100000.0, r.portfolio().getEquity());
    assertEquals(1, r.portfolio().getPositions().size());
    assertEquals(10.0, r.portfolio().getPositions().get(0).getQuantity());
    assertEquals(0.01, r.performance().getTotalReturn());
    assertEquals(1.5, r.performance().getSharpe());
    assertEquals(0.02, r.performance().getMaxDrawdown());
    assertEquals(0.6, r.performance().getWinRate());
    assertEquals(5, r.performance().getTrades());
    assertEquals(120.5, r.performance().getRealizedPnl());
    assertEquals(2, r.observations().size(), "an entry without a symbol is dropped");
    assertEquals("AAPL", r.observations().get(0).getSymbol());
    assertEquals(10, r.observations().get(0).getWindow());
    assertEquals(0.031, r.observations().get(0).getVolatility());
    assertEquals(1500000.0, r.observations().get(0).getVolume());
    assertEquals(0.0004, r.observations().get(0).getSpread());
    assertEquals(null, r.observations().get(1).getVolatility(), "a figure that is not a number stays absent");
    assertEquals(null, r.observations().get(1).getVolume());
    assertFalse(r.halted());
    assertEquals(null, r.haltReason());
    assertEquals(1, r.state().path("version").asInt());
  }

  @Test
  void haltedResultsCarryTheReason() {
    String halted = LINE.replace("\"halted\":false,\"haltReason\":null", "\"halted\":true,\"haltReason\":\"dd\"");
    TickResult r = TickResult.fromStdout(List.of(halted), "t").orElseThrow();
    assertTrue(r.halted());
    assertEquals("dd", r.haltReason());
  }

  @Test
  void missingOrBrokenLines() {
    assertTrue(TickResult.fromStdout(List.of("hello\n", "world"), "t").isEmpty());
    assertTrue(TickResult.fromStdout(List.of(), "t").isEmpty());
    assertThrows(IllegalStateException.class,
        () -> TickResult.fromStdout(List.of(StrategyCode.RESULT_PREFIX + "{not json"), "t"));
  }
}
