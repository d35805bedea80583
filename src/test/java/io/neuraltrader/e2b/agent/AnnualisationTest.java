package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuraltrader.e2b.api.v1alpha1.CalendarName;
import io.neuraltrader.e2b.api.v1alpha1.MarketHoursSpec;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.schedule.MarketCalendars;
import io.neuraltrader.e2b.schedule.Session;
import io.neuraltrader.e2b.testing.StrategyBench;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnualisationTest {
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");

  private static MarketHoursSpec nyse() {
    MarketHoursSpec hours = new MarketHoursSpec();
    hours.setCalendar(CalendarName.NYSE);
    return hours;
  }

  /** Trading days and trading minutes of NYSE 2026, counted from the calendar's sessions. */
  private static double[] nyse2026() {
    double days = 0;
    double minutes = 0;
    for (LocalDate d = LocalDate.of(2026, 1, 1); d.getYear() == 2026; d = d.plusDays(1)) {
      Session s = MarketCalendars.nyse().session(d).orElse(null);
      if (s != null) {
        days++;
        minutes += Duration.between(s.opensAt(), s.closesAt()).toMinutes();
      }
    }
    return new double[] {days, minutes};
  }

  @Test
  void marketHoursCountTradingMinutesOfTheCalendar() {
    double[] year = nyse2026();
    assertTrue(year[0] > 245 && year[0] < 256, "NYSE has about 252 sessions: " + year[0]);
    assertEquals(year[1], Annualisation.ticksPerYear("60s", nyse(), NOW), 1e-9);
    assertEquals(year[1] / 5, Annualisation.ticksPerYear("5m", nyse(), NOW), 1e-9);
    // A daily agent ticks once per session, not 390 / 1440 of a time.
    assertEquals(year[0], Annualisation.ticksPerYear("24h", nyse(), NOW), 1e-9);
  }

  @Test
  void withoutMarketHoursTheAgentTicksAroundTheClock() {
    assertEquals(365 * 24 * 60, Annualisation.ticksPerYear("60s", null, NOW), 1e-9);
    assertEquals(365, Annualisation.ticksPerYear("24h", null, NOW), 1e-9);
    assertEquals(366 * 24, Annualisation.ticksPerYear("1h", null, Instant.parse("2028-06-01T00:00:00Z")), 1e-9);
  }

  @Test
  void theOperatorSendsItWithEveryTick() {
    TradingAgent agent = Agents.agent("a", Strategy.momentum, "AAPL");
    agent.getSpec().setInterval("5m");
    agent.getSpec().setMarketHours(nyse());
    JsonNode input = AgentInputs.build(agent, agent.getSpec().getSymbols(), null, Map.of(), 0, NOW, null);
    assertEquals(nyse2026()[1] / 5, input.path("ticksPerYear").asDouble(), 1e-9);
    agent.getSpec().setMarketHours(null);
    agent.getSpec().setInterval("24h");
    input = AgentInputs.build(agent, agent.getSpec().getSymbols(), null, Map.of(), 0, NOW, null);
    assertEquals(365, input.path("ticksPerYear").asDouble(), 1e-9);
  }

  @Test
  void aDailyAgentsSharpeIsNotScaledAsIfItTickedEveryMinute() throws Exception {
    TradingAgent minutely = StrategyContractTest.agentFor(Strategy.momentum, 11);
    TradingAgent daily = StrategyContractTest.agentFor(Strategy.momentum, 11);
    daily.getSpec().setInterval("24h");
    String code = StrategyCode.shipped(Strategy.momentum);
    List<TickResult> perMinute;
    List<TickResult> perDay;
    try (StrategyBench bench = new StrategyBench()) {
      perMinute = bench.run(minutely, code, 12);
    }
    try (StrategyBench bench = new StrategyBench()) {
      perDay = bench.run(daily, code, 12);
    }
    TickResult m = perMinute.get(11);
    TickResult d = perDay.get(11);
    assertEquals(m.portfolio().getEquity(), d.portfolio().getEquity(), 1e-9, "the same trades either way");
    assertTrue(Math.abs(m.performance().getSharpe()) > 0.1, "the run has a Sharpe ratio to compare");
    // Same per-tick returns: only the annualisation differs, by sqrt(1440 ticks a day vs 1).
    assertEquals(m.performance().getSharpe() / Math.sqrt(1440), d.performance().getSharpe(),
        Math.abs(d.performance().getSharpe()) * 1e-3 + 1e-4);
  }
}
