package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.CostModel;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuraltrader.e2b.api.v1alpha1.HealthState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The seed health rules and the cost estimate. */
class HealthRulesAndCostModelTest {
  @Test
  void errorRateAboveTenPercentIsUnhealthy() {
    assertEquals(HealthState.Unhealthy, HealthRules.evaluate(10, 2, 100, null));
    assertEquals(HealthState.Healthy, HealthRules.evaluate(10, 1, 100, null), "exactly 10% is not above");
    assertEquals(HealthState.Healthy, HealthRules.evaluate(4, 4, 100, null), "too few executions to judge");
    assertEquals(HealthState.Unhealthy, HealthRules.evaluate(5, 1, 100, null));
  }

  @Test
  void slowExecutionsOrLongIdlenessAreDegraded() {
    assertEquals(HealthState.Degraded, HealthRules.evaluate(3, 0, 2001, null));
    assertEquals(HealthState.Healthy, HealthRules.evaluate(3, 0, 2000, null));
    assertEquals(HealthState.Degraded, HealthRules.evaluate(0, 0, 0, Duration.ofMinutes(61)));
    assertEquals(HealthState.Healthy, HealthRules.evaluate(0, 0, 0, Duration.ofMinutes(60)));
    assertEquals(HealthState.Healthy, HealthRules.evaluate(0, 0, 0, null));
    assertEquals(HealthState.Unhealthy, HealthRules.evaluate(10, 5, 5000, Duration.ofHours(2)),
        "unhealthy wins over degraded");
  }

  @Test
  void costIsVcpuAndMemorySecondsAtListPrices() {
    CostModel m = CostModel.E2B_LIST_PRICES;
    assertEquals(2 * 0.000014 + 0.5 * 0.0000045, m.perSecond(2, 512), 1e-12);
    assertEquals(m.perSecond(2, 512) * 3600, m.perHour(2, 512), 1e-12);
    assertEquals(m.perSecond(4, 4096) * 90, m.cost(4, 4096, Duration.ofSeconds(90)), 1e-12);
    assertEquals(m.perSecond(CostModel.DEFAULT_CPU, CostModel.DEFAULT_MEMORY_MB), m.perSecond(0, 0), 1e-15,
        "unknown size is priced as the default sandbox");
    assertEquals(0.0, m.cost(2, 512, Duration.ofSeconds(-5)));
    assertEquals(0.5 * 0.00001 * 10, new CostModel(0.0, 0.00001).cost(8, 512, Duration.ofSeconds(10)), 1e-15);
  }
}
