package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.AnomalySpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentErrorRateTest {
  private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

  @Test
  void ticksAreRunsPlusFailuresAndABurstRaisesThenClears() {
    AnomalySpec spec = new AnomalySpec();
    spec.setWindowSeconds(60);
    spec.setMinSamples(3);
    TradingAgentStatus s = new TradingAgentStatus();
    s.setRuns(0L);
    s.setFailedRuns(0L);
    AgentErrorRate.update(s, spec, 1L, T0);
    Instant now = T0;
    for (int i = 0; i < 3; i++) { // three healthy windows of 4 ticks
      s.setRuns(s.getRuns() + 4);
      now = now.plusSeconds(60);
      assertFalse(AgentErrorRate.update(s, spec, 1L, now).raised());
    }
    assertEquals(0.0, s.getErrorRate().getBaseline());
    s.setFailedRuns(3L);
    AgentErrorRate.Change burst = AgentErrorRate.update(s, spec, 1L, now.plusSeconds(10));
    assertTrue(burst.raised());
    assertEquals("ErrorRateSpike", Conditions.reason(s.getConditions(), "Anomalous"));
    assertFalse(AgentErrorRate.update(s, spec, 1L, now.plusSeconds(20)).raised(), "raised once");
    s.setRuns(s.getRuns() + 5);
    AgentErrorRate.update(s, spec, 1L, now.plusSeconds(60));
    s.setRuns(s.getRuns() + 5);
    AgentErrorRate.Change recovered = AgentErrorRate.update(s, spec, 1L, now.plusSeconds(70));
    assertTrue(recovered.cleared(), s.getErrorRate().toString());
    spec.setEnabled(false);
    assertNull(AgentErrorRate.update(s, spec, 1L, now.plusSeconds(80)));
    assertNull(s.getErrorRate());
    assertTrue(Conditions.find(s.getConditions(), "Anomalous").isEmpty());
  }
}
