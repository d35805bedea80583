package io.neuraltrader.e2b.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QualityScoreTest {
  @ParameterizedTest(name = "sharpe {0}, drawdown {1}, efficiency {2}: {3}")
  @CsvSource({
      "1.0, 0.2, 1.0, 0.7667",   // (0.5 + 0.8 + 1) / 3
      "2.0, 0.0, 1.0, 1.0",      // every component at its best
      "4.0, 0.0, 1.0, 1.0",      // Sharpe above 2 clamps to 1
      "-1.5, 0.5, 0.5, 0.3333",  // negative Sharpe clamps to 0
      "0.0, 1.5, 0.0, 0.0",      // a drawdown past 100% clamps to 0
      "1.0, -0.2, 0.9, 0.7333",  // a drawdown given as a negative fraction counts as its size: (0.5 + 0.8 + 0.9) / 3
  })
  void meanOfTheThreeClampedComponents(double sharpe, double drawdown, double efficiency, double score) {
    assertEquals(score, QualityScore.of(sharpe, drawdown, efficiency));
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {"90, 10, 0.9", "5, null, 1.0", "0, 4, 0.0", "null, null, null", "0, 0, null"})
  void executionEfficiencyIsSuccessfulOverAllTicks(Long runs, Long failedRuns, Double efficiency) {
    assertEquals(efficiency, QualityScore.executionEfficiency(runs, failedRuns));
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {"null, 0.1, 1.0", "1.0, null, 1.0", "1.0, 0.1, null", "NaN, 0.1, 1.0"})
  void noScoreWithoutEveryComponent(Double sharpe, Double drawdown, Double efficiency) {
    assertNull(QualityScore.of(sharpe, drawdown, efficiency));
  }
}
