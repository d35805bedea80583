package io.neuraltrader.e2b.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.shared.ErrorRateBaseline.Settings;
import io.neuraltrader.e2b.shared.ErrorRateBaseline.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ErrorRateBaselineTest {
  private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
  private static final Settings S = new Settings(3.0, 10, Duration.ofMinutes(5), Duration.ofHours(1), 0.02);

  /** Feeds {@code windows} windows of {@code executions} executions with {@code failures} failures each. */
  private static Verdict feed(Verdict from, int windows, long executions, long failures) {
    Verdict v = from;
    for (int i = 0; i < windows; i++) {
      Instant at = v.state().windowStart().plus(S.window());
      v = ErrorRateBaseline.observe(v.state(), v.state().seenExecutions() + executions,
          v.state().seenFailures() + failures, at, S);
    }
    return v;
  }

  private static Verdict start() {
    return ErrorRateBaseline.observe(null, 0, 0, T0, S);
  }

  @Test
  void noVerdictWithoutABaseline() {
    Verdict v = ErrorRateBaseline.observe(start().state(), 50, 50, T0.plusSeconds(60), S);
    assertNull(v.state().baseline());
    assertFalse(v.anomalous(), "every execution failing, but there is no history to compare with");
  }

  @Test
  void aBurstOverThreeTimesTheBaselineIsAnomalousAndDoesNotMoveIt() {
    Verdict calm = feed(start(), 12, 20, 1); // 5% errors
    assertEquals(0.05, calm.state().baseline(), 1e-9);
    assertFalse(calm.anomalous());
    // Within the open window: 12 executions, 3 failed is 25% > 3 x 5%.
    Verdict burst = ErrorRateBaseline.observe(calm.state(), calm.state().seenExecutions() + 12,
        calm.state().seenFailures() + 3, calm.state().windowStart().plusSeconds(60), S);
    assertTrue(burst.anomalous());
    assertEquals(0.25, burst.currentRate(), 1e-9);
    // The window closes anomalous: the baseline stays where it was, and the verdict holds meanwhile.
    Verdict closed = feed(burst, 1, 0, 0);
    assertEquals(0.05, closed.state().baseline(), 1e-9);
    assertTrue(closed.anomalous(), "the last closed window judges until the open one has enough executions");
    Verdict recovered = feed(closed, 1, 20, 1);
    assertFalse(recovered.anomalous());
  }

  @Test
  void justAtTheThresholdOrTooFewSamplesIsNotAnomalous() {
    Verdict calm = feed(start(), 12, 20, 1);
    Verdict atThreshold = ErrorRateBaseline.observe(calm.state(), calm.state().seenExecutions() + 20,
        calm.state().seenFailures() + 3, calm.state().windowStart().plusSeconds(1), S);
    assertFalse(atThreshold.anomalous(), "15% is exactly 3 x 5%, not above");
    Verdict few = ErrorRateBaseline.observe(calm.state(), calm.state().seenExecutions() + 9,
        calm.state().seenFailures() + 9, calm.state().windowStart().plusSeconds(1), S);
    assertFalse(few.anomalous(), "9 executions are fewer than minSamples 10");
    assertEquals(0.05, few.currentRate(), 1e-9, "the last closed window speaks until the open one has enough");
    Verdict fresh = ErrorRateBaseline.observe(start().state(), 9, 9, T0.plusSeconds(1), S);
    assertNull(fresh.currentRate());
  }

  @Test
  void theFloorKeepsAFleetWithoutErrorsFromAlarmingAtItsFirst() {
    Verdict clean = feed(start(), 3, 20, 0);
    assertEquals(0.0, clean.state().baseline(), 1e-12);
    assertFalse(feed(clean, 1, 20, 1).anomalous(), "5% is under 3 x the 2% floor");
    assertTrue(feed(clean, 1, 20, 2).anomalous(), "10% is over 6%");
  }

  @Test
  void theBaselineIsAnExponentialAverageOverTheHorizon() {
    Verdict v = feed(start(), 1, 10, 0);
    assertEquals(0.0, v.state().baseline(), 1e-12);
    v = feed(v, 1, 10, 1); // 10%: under the floor x 3 = 6%? no: 10% > 6%, anomalous, so it is not averaged in
    assertEquals(0.0, v.state().baseline(), 1e-12);
    Settings lenient = new Settings(100, 10, S.window(), S.horizon(), 0.02);
    Verdict w = ErrorRateBaseline.observe(v.state(), v.state().seenExecutions() + 10, v.state().seenFailures() + 1,
        v.state().windowStart().plus(S.window()), lenient);
    double weight = 1 - Math.exp(-5.0 / 60);
    assertEquals(weight * 0.1, w.state().baseline(), 1e-12);
  }

  @Test
  void countersGoingBackCountNothingAndIdleWindowsSkipAhead() {
    Verdict v = feed(start(), 2, 20, 0);
    Verdict back = ErrorRateBaseline.observe(v.state(), 5, 5, v.state().windowStart().plusSeconds(10), S);
    assertEquals(0, back.state().executions());
    assertEquals(5, back.state().seenExecutions());
    Instant later = back.state().windowStart().plus(Duration.ofMinutes(47));
    Verdict idle = ErrorRateBaseline.observe(back.state(), 5, 5, later, S);
    assertEquals(back.state().windowStart().plus(Duration.ofMinutes(45)), idle.state().windowStart());
    assertEquals(idle.state().windowStart().plus(S.window()), ErrorRateBaseline.windowEnd(idle.state(), S));
  }

  @Test
  void roundTripsThroughStatus() {
    Verdict v = feed(start(), 3, 20, 1);
    var status = ErrorRateBaseline.toStatus(v);
    assertEquals(v.state(), ErrorRateBaseline.fromStatus(status));
    assertNull(ErrorRateBaseline.fromStatus(null));
  }
}
