package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.agent.SandboxRemediation.Action;
import io.neuraltrader.e2b.agent.SandboxRemediation.Settings;
import io.neuraltrader.e2b.api.v1alpha1.RemediationSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SandboxRemediationTest {
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  private static final Settings ON = new Settings(true, 0.5, 10, Duration.ofMinutes(10));

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("healthy", 20L, 2L, null, Action.NONE),
        Arguments.of("exactly half is not above", 20L, 10L, null, Action.NONE),
        Arguments.of("failing", 20L, 11L, null, Action.REPLACE),
        Arguments.of("too few executions to judge", 9L, 9L, null, Action.NONE),
        Arguments.of("replaced 5 minutes ago", 10L, 10L, NOW.minusSeconds(300), Action.RATE_LIMITED),
        Arguments.of("replaced 10 minutes ago", 10L, 10L, NOW.minusSeconds(600), Action.REPLACE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decisions(String name, long executions, long failures, Instant last, Action expected) {
    assertEquals(expected, SandboxRemediation.decide(ON, executions, failures, last, NOW).action());
  }

  @Test
  void theDecisionSaysWhyAndWhenARateLimitedOneMayComeNext() {
    var limited = SandboxRemediation.decide(ON, 12, 9, NOW.minusSeconds(300), NOW);
    assertEquals("9 of its 12 executions failed (75%, above 50%)", limited.why());
    assertEquals(NOW.plusSeconds(300), limited.retryAt());
    assertEquals("2 of its 20 executions failed (10%, within 50%)", SandboxRemediation.decide(ON, 20, 2, null, NOW).why());
    assertEquals("4 of its 4 executions failed; too few to judge (minExecutions 10)",
        SandboxRemediation.decide(ON, 4, 4, null, NOW).why());
  }

  @Test
  void onByDefaultForDeploymentAgentsOnlyAndOptOut() {
    assertTrue(SandboxRemediation.settings(null, true).enabled());
    assertFalse(SandboxRemediation.settings(null, false).enabled());
    RemediationSpec off = new RemediationSpec();
    off.setEnabled(false);
    assertFalse(SandboxRemediation.settings(off, true).enabled());
    RemediationSpec on = new RemediationSpec();
    on.setEnabled(true);
    on.setMinExecutions(3);
    assertTrue(SandboxRemediation.settings(on, false).enabled());
    assertEquals(Action.NONE, SandboxRemediation.decide(SandboxRemediation.settings(off, true), 100, 100, null, NOW)
        .action());
    assertEquals(Action.REPLACE, SandboxRemediation.decide(SandboxRemediation.settings(on, false), 3, 3, null, NOW)
        .action());
  }
}
