package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.ConsensusDecision;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three agents on one symbol: their agreement is published as consensus; an error burst makes the deployment
 * Anomalous and takes the failing agents' votes away (no decision below quorum); recovery brings both back.
 */
class ConsensusAndAnomalyTest {
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
  void consensusFollowsTheVotesAndAnErrorBurstRaisesAnomalous() {
    h.apply(Fleet.manifest("""
        replicas: 3
        consensus: {quorum: 0.67}
        anomaly: {windowSeconds: 120, horizonSeconds: 600, minSamples: 3}
        """));
    Fleet.awaitReady(h, 3);
    E2BDeployment agreed = Fleet.await(h, d -> Fleet.is(d.getStatus().getSymbolsInConsensus(), 1));
    ConsensusDecision aapl = agreed.getStatus().getConsensus().get(0);
    assertEquals("AAPL", aapl.getSymbol());
    assertEquals(3, aapl.getVotes(), "identical agents agree unanimously");
    assertEquals(3, aapl.getMembers());

    // Two healthy windows give the baseline: no errors.
    for (int i = 0; i < 3; i++) {
      Fleet.stepAll(h);
    }
    E2BDeployment calm = Fleet.await(h, d -> d.getStatus().getErrorRate() != null
        && d.getStatus().getErrorRate().getBaseline() != null);
    assertEquals(0.0, calm.getStatus().getErrorRate().getBaseline());
    assertEquals("WithinBaseline", Fleet.reason(calm, "Anomalous"));
    assertFalse(Fleet.isTrue(calm, "Anomalous"));

    // Every execution fails: the failing agents lose their votes and the error rate spikes.
    h.runtime().faults().set(ServedOperation.EXECUTE, FaultPlan.none().withErrorRate(1.0));
    Fleet.stepAll(h);
    E2BDeployment burst = Fleet.await(h, d -> Fleet.isTrue(d, "Anomalous"));
    assertEquals("ErrorRateSpike", Fleet.reason(burst, "Anomalous"));
    assertTrue(Fleet.message(burst, "Anomalous").contains("threshold 0.06"), Fleet.message(burst, "Anomalous"));
    h.awaitEvent(Fleet.NAME, "Anomalous");
    E2BDeployment noQuorum = Fleet.await(h, d -> Fleet.is(d.getStatus().getSymbolsInConsensus(), 0));
    assertNull(noQuorum.getStatus().getConsensus(), "no decision below quorum");

    // Recovery: the agents tick again, vote again and agree again.
    h.runtime().faults().clear();
    Fleet.stepAll(h);
    Fleet.await(h, d -> Fleet.is(d.getStatus().getSymbolsInConsensus(), 1)
        && d.getStatus().getConsensus().get(0).getVotes() == 3);
  }
}
