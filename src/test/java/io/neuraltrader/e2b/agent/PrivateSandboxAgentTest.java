package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.SandboxSnapshot;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sandbox created with {@code network.allowPublicTraffic: false} answers code execution only with its
 * traffic access token. The agent trades in one, and keeps trading after an operator restart (the token is
 * held in memory only, so the new instance gets it back from E2B's connect).
 */
class PrivateSandboxAgentTest {
  private static final String AGENT = """
      apiVersion: e2b.neuraltrader.io/v1alpha1
      kind: TradingAgent
      metadata: {name: private}
      spec:
        strategy: momentum
        symbols: [AAPL, MSFT]
        parameters: {period: 2, threshold: 0.005}
        interval: 10s
        marketData: {type: synthetic, seed: 5}
        sandbox:
          template:
            template: code-interpreter-v1
            timeoutSeconds: 300
            network: {allowPublicTraffic: false}
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

  @Test
  void anAgentTradesInAPrivateSandboxAndAfterARestart() {
    h.apply(AGENT);
    h.awaitResource(TradingAgent.class, "private", a -> Agents.runs(a) >= 1);
    TradingAgent first = Agents.stepUntilRuns(h, "private", 2, 10);
    List<SandboxSnapshot> sandboxes = h.runtime().sandboxes();
    assertEquals(1, sandboxes.size());
    assertFalse(sandboxes.get(0).publicTraffic(), "E2B was asked for a private sandbox");
    assertEquals(sandboxes.get(0).sandboxId(), first.getStatus().getSandboxID());

    h.restartOperator();
    TradingAgent later = Agents.stepUntilRuns(h, "private", Agents.runs(first) + 1, 10);
    assertEquals(first.getStatus().getSandboxID(), later.getStatus().getSandboxID(), "same sandbox");
    assertTrue(later.getStatus().getLastError() == null, String.valueOf(later.getStatus().getLastError()));
  }
}
