package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deployment's agent (remediation on by default) whose strategy fails every tick (a broken template): its
 * sandbox is replaced once (restarts + 1, an event that says why), and while the failures go on in the new
 * sandbox, the rate limit holds further replacements off instead of churning sandboxes.
 */
class SandboxRemediationFleetTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static final Duration INTERVAL = Duration.ofSeconds(3600);

  @Test
  void aFailingSandboxIsReplacedOnceNotInALoop() {
    h.apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: broken}
        data:
          strategy.py: |
            def validate_parameters(params):
                return dict(params)

            def generate_signals(ctx):
                raise ValueError("broken strategy")
        ---
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BDeployment
        metadata: {name: fleet}
        spec:
          replicas: 1
          template:
            spec:
              strategy: custom
              code: {configMapRef: {name: broken, key: strategy.py}}
              symbols: [AAPL]
              interval: 10s
              remediation: {minExecutions: 3, minIntervalSeconds: 3600}
              sandbox: {template: {timeoutSeconds: 86400}}
        """);
    String agent = Fleet.NAME + "-0";
    String sandbox = agent + "-sandbox";
    TradingAgent first = h.awaitResource(TradingAgent.class, agent, a -> Fleet.attempts(a) >= 1, Fleet.WAIT);
    String firstID = first.getStatus().getSandboxID();
    TradingAgent replaced = null;
    for (int step = 0; step < 10 && replaced == null; step++) {
      Fleet.stepAll(h);
      TradingAgent a = h.get(TradingAgent.class, agent);
      if (a.getStatus().getRemediations() != null && a.getStatus().getRemediations() == 1) {
        replaced = a;
      }
    }
    assertTrue(replaced != null, "the failing sandbox was replaced");
    Instant at = Times.parse(replaced.getStatus().getLastRemediationAt());
    h.awaitEvent(agent, "SandboxReplaced");
    assertTrue(h.events(agent).stream().filter(e -> "SandboxReplaced".equals(e.getReason()))
        .allMatch(e -> e.getMessage().contains("executions failed")), "the event says why");
    E2BSandbox renewed = h.awaitResource(E2BSandbox.class, sandbox, s -> s.getStatus() != null
        && s.getStatus().getSandboxID() != null && !firstID.equals(s.getStatus().getSandboxID())
        && s.getStatus().getRestarts() != null && s.getStatus().getRestarts() == 1, Fleet.WAIT);
    assertEquals(1, renewed.getStatus().getRestarts());

    // The new sandbox fails too (a broken template): within the interval it is not replaced again.
    for (int step = 0; step < 4; step++) {
      Fleet.stepAll(h);
    }
    TradingAgent after = h.get(TradingAgent.class, agent);
    assertTrue(h.clock().instant().isBefore(at.plus(INTERVAL)), "still inside the interval");
    assertEquals(1L, after.getStatus().getRemediations(), "replaced once, not in a loop");
    assertEquals("RateLimited", Conditions.reason(after.getStatus().getConditions(), "SandboxRemediation"));
    assertEquals(1, h.events(agent).stream().filter(e -> "SandboxReplaced".equals(e.getReason())).count());
  }
}
