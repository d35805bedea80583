package io.neuraltrader.e2b.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.client.Outcome;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class E2BErrorRulesTest {

  @Test
  void onlyWhatE2BDecidedWaitsForAnInputChange() {
    Set<Outcome> permanentBeforeCreate = EnumSet.noneOf(Outcome.class);
    Set<Outcome> permanentAfterCreate = EnumSet.noneOf(Outcome.class);
    for (Outcome o : Outcome.values()) {
      if (E2BErrorRules.of(o, false).permanent()) {
        permanentBeforeCreate.add(o);
      }
      if (E2BErrorRules.of(o, true).permanent()) {
        permanentAfterCreate.add(o);
      }
    }
    assertEquals(EnumSet.of(Outcome.AUTH, Outcome.BAD_REQUEST, Outcome.NOT_FOUND), permanentBeforeCreate);
    // Once the sandbox exists, a not-found means it went away, not that the spec is wrong.
    assertEquals(EnumSet.of(Outcome.AUTH, Outcome.BAD_REQUEST), permanentAfterCreate);
    assertEquals(Reasons.CREATE_REJECTED, E2BErrorRules.of(Outcome.NOT_FOUND, false).reason());
    assertEquals("E2BError", E2BErrorRules.of(Outcome.NOT_FOUND, true).reason());
  }

  @Test
  void theReasonsThatHoldAPoolAreExactlyTheCapacityRateAndCircuitOutcomes() {
    Set<String> held = new java.util.HashSet<>();
    for (Outcome o : Outcome.values()) {
      String reason = E2BErrorRules.of(o, false).reason();
      if (Reasons.E2B_NOT_TAKING_SANDBOXES.contains(reason)) {
        held.add(o.name());
        assertFalse(E2BErrorRules.of(o, false).permanent(), o + " is retried");
      }
    }
    assertEquals(Set.of("CAPACITY", "RATE_LIMITED", "CIRCUIT_OPEN"), held);
  }

  @Test
  void aLostCreateResponseIsRetriedAfterAtLeastASecond() {
    E2BErrorRules.Rule rule = E2BErrorRules.of(Outcome.OUTCOME_UNKNOWN, false);
    assertEquals("CreateOutcomeUnknown", rule.reason());
    assertEquals(E2BErrorRules.Retry.BACKOFF_AT_LEAST_1S, rule.retry());
    assertTrue(EnumSet.complementOf(EnumSet.of(Outcome.OUTCOME_UNKNOWN)).stream()
        .noneMatch(o -> E2BErrorRules.of(o, true).retry() == E2BErrorRules.Retry.BACKOFF_AT_LEAST_1S));
  }
}
