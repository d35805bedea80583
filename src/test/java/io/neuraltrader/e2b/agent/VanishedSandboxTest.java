package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.local.runtime.Transition;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * E2B users see sandboxes vanish early: the execution gets the proxy's 502 "The sandbox was not found". The
 * agent treats it as a lost sandbox (the sandbox reconciler confirms and recreates it at once, the state is
 * restored), not as a transient error to retry against the dead sandbox.
 */
class VanishedSandboxTest {
  private static final String AGENT = """
      apiVersion: e2b.neuraltrader.io/v1alpha1
      kind: TradingAgent
      metadata: {name: vanish}
      spec:
        strategy: momentum
        symbols: [AAPL, MSFT]
        parameters: {period: 2, threshold: 0.005}
        interval: 10s
        marketData: {type: synthetic, seed: 3}
        sandbox: {template: {template: code-interpreter-v1, timeoutSeconds: 300}}
      """;
  private OperatorHarness h;

  @BeforeEach
  void start() {
    // No listing after the first: only the execution's answer can tell the operator the sandbox is gone.
    h = OperatorHarness.start(rc -> { }, c -> c.withTimings(Duration.ofHours(1), Duration.ofSeconds(5),
        Duration.ofSeconds(60)));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aSandboxThatVanishesMidTickIsRecreatedAndTheAgentContinuesFromItsState() {
    h.apply(AGENT);
    h.awaitResource(TradingAgent.class, "vanish", a -> Agents.runs(a) >= 1);
    TradingAgent first = Agents.stepUntilRuns(h, "vanish", 2, 10);
    String lost = first.getStatus().getSandboxID();

    h.runtime().faults().set(ServedOperation.EXECUTE, FaultPlan.none().withVanishRate(1.0));
    TradingAgent failed = Agents.step(h, "vanish");
    h.runtime().faults().clear();
    assertTrue(failed.getStatus().getLastError().startsWith("SandboxLost"), failed.getStatus().getLastError());
    assertEquals(2, Agents.runs(failed));

    // Confirmed and recreated without waiting for the agent's next tick.
    E2BSandbox replaced = h.awaitResource(E2BSandbox.class, "vanish-sandbox", s -> s.getStatus() != null
        && s.getStatus().getRestarts() != null && s.getStatus().getRestarts() == 1
        && s.getStatus().getSandboxID() != null && !lost.equals(s.getStatus().getSandboxID()));
    h.awaitEvent("vanish-sandbox", "SandboxLost");
    assertTrue(h.events("vanish-sandbox").stream().anyMatch(e -> "SandboxLost".equals(e.getReason())
        && e.getMessage().contains("was answered that the sandbox was not found")),
        "lost because the execution said so, not because a later listing missed it");

    TradingAgent resumed = Agents.stepUntilRuns(h, "vanish", 3, 5);
    assertEquals(replaced.getStatus().getSandboxID(), resumed.getStatus().getSandboxID());
    assertNotEquals(lost, resumed.getStatus().getSandboxID());
    assertEquals(null, resumed.getStatus().getLastError());
    h.awaitEvent("vanish", "StrategyDeployed");
    assertTrue(h.events("vanish").stream().anyMatch(e -> "StrategyDeployed".equals(e.getReason())
        && e.getMessage().contains("restored its state")), "the replacement continued from the saved state");
  }

  @Test
  void aConnectRefusedBecauseE2BIsKillingTheSandboxIsALostSandboxToo() {
    h.apply(AGENT);
    h.awaitResource(TradingAgent.class, "vanish", a -> Agents.runs(a) >= 1);
    String doomed = h.get(TradingAgent.class, "vanish").getStatus().getSandboxID();
    h.restartOperator(); // tokens are in memory only: the next tick connects to get them back
    h.runtime().beginTransition(doomed, Transition.KILLING, Duration.ofSeconds(30));

    TradingAgent refused = Agents.step(h, "vanish");
    assertTrue(refused.getStatus().getLastError().startsWith("SandboxLost"), refused.getStatus().getLastError());

    h.advance(Duration.ofSeconds(31)); // E2B finished the kill
    TradingAgent resumed = Agents.stepUntilRuns(h, "vanish", 2, 5);
    assertNotEquals(doomed, resumed.getStatus().getSandboxID());
    assertEquals(1, h.get(E2BSandbox.class, "vanish-sandbox").getStatus().getRestarts());
  }
}
