package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** marketHours gates ticks: nothing runs before the NYSE open, ticks start at the open, stop at the close. */
class MarketHoursAgentTest {
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
  void ticksOnlyInsideTheSession() {
    // The harness starts Monday 2026-03-02 14:00Z = 09:00 New York, half an hour before the open.
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: hours}
        spec:
          strategy: momentum
          symbols: [AAPL]
          interval: 60s
          marketHours: {calendar: NYSE}
          sandbox: {template: {template: code-interpreter-v1}}
        """);
    TradingAgent closed = h.awaitResource(TradingAgent.class, "hours",
        a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.OutsideMarketHours);
    assertEquals("2026-03-02T14:30:00Z", closed.getStatus().getNextRunAt(), "the next open");
    assertTrue(Agents.conditionIs(closed, "Ready", "True", "OutsideMarketHours"));
    assertEquals(0, Agents.runs(closed));
    assertNull(h.get(E2BSandbox.class, "hours-sandbox"), "no sandbox is started while the market is closed");

    // 09:30 New York: the wakeup scheduled for the open fires and the agent starts.
    h.advance(Duration.ofMinutes(30));
    TradingAgent open = h.awaitResource(TradingAgent.class, "hours", a -> Agents.runs(a) >= 1,
        Duration.ofSeconds(30));
    assertEquals(AgentPhase.Running, open.getStatus().getPhase());
    assertTrue(!Instant.parse(open.getStatus().getLastRunAt()).isBefore(Instant.parse("2026-03-02T14:30:00Z")));
    assertEquals(Instant.parse(open.getStatus().getLastRunAt()).plusSeconds(60),
        Instant.parse(open.getStatus().getNextRunAt()));
    Agents.step(h, "hours");

    // 16:00 New York (21:00Z): closed until Tuesday 09:30.
    h.clock().advanceTo(Instant.parse("2026-03-02T21:00:00Z"));
    TradingAgent after = h.awaitResource(TradingAgent.class, "hours",
        a -> a.getStatus().getPhase() == AgentPhase.OutsideMarketHours, Duration.ofSeconds(30));
    assertEquals("2026-03-03T14:30:00Z", after.getStatus().getNextRunAt());
    assertEquals(2, Agents.runs(after), "no tick at or after the close");
  }
}
