package io.neuraltrader.e2b.agent;

import static io.neuraltrader.e2b.agent.Agents.failedRuns;
import static io.neuraltrader.e2b.agent.Agents.runs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A tick that fails because E2B failed (5xx, 429, a reset connection) is retried on the short sandbox backoff:
 * an agent whose first ticks hit E2B faults must not wait the strategy backoff (2, 4, 8, 10 minutes) for its
 * first tick. That wait outlasted the soak's settle window for one unlucky agent of 44.
 */
class AgentRetryScheduleTest {
  private static Duration wait(TradingAgent a) {
    return Duration.between(Instant.parse(a.getStatus().getLastRunAt()), Instant.parse(a.getStatus().getNextRunAt()));
  }

  @Test
  void ticksFailingOnE2BAreRetriedWithinSecondsAndTheFirstTickFollowsOnceE2BRecovers() {
    try (OperatorHarness h = OperatorHarness.start()) {
      firstTicksHitE2BFaults(h);
    }
  }

  private static void firstTicksHitE2BFaults(OperatorHarness h) {
    h.runtime().faults().set(ServedOperation.EXECUTE, FaultPlan.none().withErrorRate(1.0));
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: unlucky}
        spec:
          strategy: momentum
          symbols: [AAPL]
          interval: 60s
          marketData: {type: synthetic, seed: 3}
          sandbox: {template: {}}
        """);
    TradingAgent a = h.awaitResource(TradingAgent.class, "unlucky", x -> failedRuns(x) == 1);
    Instant firstFailure = Instant.parse(a.getStatus().getLastRunAt());
    assertEquals(Duration.ofSeconds(5), wait(a), "first retry after 5 s, not after two intervals");
    a = Agents.step(h, "unlucky");
    assertEquals(2, failedRuns(a));
    assertEquals(Duration.ofSeconds(10), wait(a));
    a = Agents.step(h, "unlucky");
    assertEquals(3, failedRuns(a));
    assertEquals(Duration.ofSeconds(20), wait(a));

    h.runtime().faults().clear();
    a = Agents.step(h, "unlucky");
    assertEquals(1, runs(a), a.getStatus().getLastError());
    assertEquals(Duration.ofSeconds(35), Duration.between(firstFailure, Instant.parse(a.getStatus().getLastRunAt())),
        "the first tick came 5 + 10 + 20 s after the first failure");
    assertEquals(0, a.getStatus().getConsecutiveFailures());
    assertEquals(Duration.ofSeconds(60), wait(a), "then the normal cadence");
  }
}
