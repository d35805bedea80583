package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Custom strategies from a ConfigMap: guardrails, failures with backoff, a missing ConfigMap. */
class CustomStrategyAgentTest {
  /** Buys on even ticks and sells (closing the long) on odd ones: on falling prices every trade loses. */
  static final String ALTERNATE = """
      def validate_parameters(params):
          return dict(params)

      def generate_signals(ctx):
          action = "buy" if ctx["tick"] % 2 == 0 else "sell"
          return [signal(s, action, 1.0, None, "alternate") for s in ctx["symbols"]]
      """;
  static final String BOOM = """
      def validate_parameters(params):
          return dict(params)

      def generate_signals(ctx):
          raise ValueError('boom')
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

  private void code(String name, String source) {
    ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(h.namespace()).endMetadata()
        .addToData("strategy.py", source).build();
    h.client().resource(map).createOr(e -> e.update());
  }

  private static String agent(String name, String codeMap, String extra) {
    return """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: %s}
        spec:
          strategy: custom
          symbols: [AAPL, MSFT]
          code: {configMapRef: {name: %s, key: strategy.py}}
          interval: 10s
          # Long enough that the 10-minute clock jumps of the backoff test do not outrun the keep-alive.
          sandbox: {template: {template: code-interpreter-v1, timeoutSeconds: 3600}}
        %s
        """.formatted(name, codeMap, extra.indent(2).stripTrailing());
  }

  @Test
  void aLosingStrategySuspendsItselfThroughTheGuardrail() {
    code("alternate", ALTERNATE);
    // Prices fall 1% per tick without noise: each buy-then-sell round trip closes at a loss.
    h.apply(agent("loser", "alternate", """
        marketData: {type: synthetic, seed: 1, volatility: 0, drift: -0.01}
        guardrails: {minWinRate: 0.5, minTrades: 2}
        """));
    h.awaitResource(TradingAgent.class, "loser", a -> Agents.runs(a) >= 1);
    TradingAgent first = h.get(TradingAgent.class, "loser");
    assertEquals(AgentPhase.Running, first.getStatus().getPhase());
    assertEquals("buy", first.getStatus().getSignals().get(0).getAction(), "the custom code ran");
    assertEquals(2, first.getStatus().getPortfolio().getPositions().size());

    TradingAgent a = first;
    for (int i = 0; i < 6 && a.getStatus().getPhase() != AgentPhase.Suspended; i++) {
      a = Agents.step(h, "loser");
    }
    TradingAgent tripped = h.awaitResource(TradingAgent.class, "loser",
        x -> x.getStatus().getPhase() == AgentPhase.Suspended);
    assertEquals(2, tripped.getStatus().getPerformance().getTrades(), "one round trip in each of two symbols");
    assertEquals(2, Agents.runs(tripped), "tripped by the tick that closed them");
    assertEquals(0.0, tripped.getStatus().getPerformance().getWinRate());
    assertTrue(tripped.getStatus().getPerformance().getTotalReturn() < 0);
    assertTrue(Agents.conditionIs(tripped, "GuardrailTripped", "True", "MinWinRate"));
    assertTrue(Agents.conditionIs(tripped, "Ready", "False", "GuardrailTripped"));
    assertNull(tripped.getStatus().getNextRunAt());
    h.awaitEvent("loser", "GuardrailTripped");
    assertTrue(h.events("loser").stream().anyMatch(e -> "GuardrailTripped".equals(e.getReason())
        && e.getMessage().contains("win rate 0.00 below 0.5 after 2 trades")));
    // The own sandbox is paused while the agent is suspended (no compute billed).
    h.awaitResource(E2BSandbox.class, "loser-sandbox", s -> Boolean.TRUE.equals(s.getSpec().getPaused()));
    long runs = Agents.runs(tripped);
    h.advance(Duration.ofMinutes(5));
    TradingAgent later = h.get(TradingAgent.class, "loser");
    assertEquals(runs, Agents.runs(later), "no ticks after the guardrail tripped");
    assertEquals(AgentPhase.Suspended, later.getStatus().getPhase());

    // Editing the spec (here: a laxer guardrail) re-arms it and the agent resumes from its state.
    later.getSpec().getGuardrails().setMinWinRate(0.0);
    h.client().resource(later).update();
    TradingAgent resumed = h.awaitResource(TradingAgent.class, "loser", x -> Agents.runs(x) > runs,
        Duration.ofSeconds(30));
    assertEquals(AgentPhase.Running, resumed.getStatus().getPhase());
    assertTrue(Agents.conditionIs(resumed, "GuardrailTripped", "False", "SpecChanged"));
    assertEquals(runs + 1, Agents.runs(resumed));
    assertTrue(resumed.getStatus().getPerformance().getTrades() >= 2, "the history was kept");
    h.awaitEvent("loser", "Resumed");
  }

  @Test
  void aRaisingStrategyBacksOffAndReportsThePythonError() {
    code("boom", BOOM);
    h.apply(agent("boomer", "boom", ""));
    TradingAgent failed = h.awaitResource(TradingAgent.class, "boomer", a -> Agents.failedRuns(a) >= 1);
    String error = failed.getStatus().getLastError();
    assertTrue(error.startsWith("TickFailed: ValueError: boom ("), error);
    assertTrue(error.endsWith("in generate_signals (strategy line 5))"), "names where it was raised: " + error);
    assertTrue(Agents.conditionIs(failed, "Healthy", "False", "TickFailed"));
    assertTrue(Agents.condition(failed, "Healthy").orElseThrow().getMessage().contains("ValueError: boom"));
    assertEquals(0, Agents.runs(failed));
    h.awaitEvent("boomer", "TickFailed");

    // Consecutive failures double the wait (2x, 4x, 8x ... the interval), capped at 10 minutes.
    long[] expectedWaits = {20, 40, 80, 160, 320, 600, 600};
    TradingAgent a = failed;
    for (int i = 0; i < expectedWaits.length; i++) {
      assertEquals(i + 1, a.getStatus().getConsecutiveFailures());
      Duration wait = Duration.between(Instant.parse(a.getStatus().getLastRunAt()),
          Instant.parse(a.getStatus().getNextRunAt()));
      assertEquals(Duration.ofSeconds(expectedWaits[i]), wait, "wait after failure " + (i + 1));
      if (i + 1 < expectedWaits.length) {
        a = Agents.step(h, "boomer");
      }
    }
    assertEquals(7, Agents.failedRuns(a));

    // Fixing the code (same ConfigMap) redeploys it and the agent recovers.
    code("boom", ALTERNATE);
    TradingAgent fixed = Agents.step(h, "boomer");
    assertEquals(1, Agents.runs(fixed), fixed.getStatus().getLastError());
    assertEquals(0, fixed.getStatus().getConsecutiveFailures());
    assertNull(fixed.getStatus().getLastError());
    assertTrue(Agents.conditionIs(fixed, "Healthy", "True", null));
    assertEquals(Duration.ofSeconds(10), Duration.between(Instant.parse(fixed.getStatus().getLastRunAt()),
        Instant.parse(fixed.getStatus().getNextRunAt())), "back to the plain interval");
  }

  @Test
  void aMissingCodeConfigMapIsAClearConditionAndTheAgentStartsOnceItExists() {
    h.apply(agent("waiting", "not-there-yet", ""));
    TradingAgent missing = h.awaitResource(TradingAgent.class, "waiting",
        a -> Agents.conditionIs(a, "Healthy", "False", "ConfigMapNotFound"));
    String message = Agents.condition(missing, "Healthy").orElseThrow().getMessage();
    assertTrue(message.contains("ConfigMap default/not-there-yet (code.configMapRef) does not exist"), message);
    assertTrue(missing.getStatus().getLastError().startsWith("ConfigMapNotFound: "));
    assertEquals(0, Agents.runs(missing));
    // Retries back off like failed ticks: bounded, not a hot loop.
    Duration wait = Duration.between(Instant.parse(missing.getStatus().getLastRunAt()),
        Instant.parse(missing.getStatus().getNextRunAt()));
    assertEquals(Duration.ofSeconds(20), wait);
    TradingAgent again = Agents.step(h, "waiting");
    assertEquals(2, Agents.failedRuns(again));
    assertFalse(again.getStatus().getPhase() == AgentPhase.Failed, "a missing ConfigMap is not a spec error");

    code("not-there-yet", ALTERNATE);
    TradingAgent running = Agents.step(h, "waiting");
    assertEquals(1, Agents.runs(running));
    assertTrue(Agents.conditionIs(running, "Healthy", "True", null));
  }
}
