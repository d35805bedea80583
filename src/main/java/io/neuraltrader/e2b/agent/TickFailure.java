package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.client.E2BException;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.shared.E2BErrorRules;
import io.neuraltrader.e2b.shared.MissingReferenceException;
import java.time.Duration;
import java.time.Instant;

/**
 * Why a tick failed, as a Healthy reason and a message, and how soon to try again: the one classification of
 * every error a tick can raise. Pure.
 *
 * @param serviceFailure E2B's service failed (not a refusal of the request itself): retry on the short sandbox
 *     backoff rather than the strategy backoff
 * @param sandboxGone the sandbox no longer exists in E2B (the sandbox controller is told to confirm it)
 */
record TickFailure(String reason, String message, boolean serviceFailure, Duration retryAfter, boolean sandboxGone) {

  static TickFailure of(Exception e, String sandboxID) {
    if (e instanceof TickFailedException) {
      return new TickFailure(Reasons.TICK_FAILED, e.getMessage(), false, null, false);
    }
    if (e instanceof MissingReferenceException missing) {
      return new TickFailure(missing.reason(), e.getMessage(), false, null, false);
    }
    if (e instanceof SandboxNotFoundException gone) {
      // Whether the execution or the connect said so: the sandbox reconciler confirms it.
      return new TickFailure("SandboxLost", "sandbox " + sandboxID + " is gone (" + e.getMessage()
          + "); it is being recreated and the agent's state restored", serviceFailure(gone), gone.retryAfter().orElse(null),
          true);
    }
    if (e instanceof E2BException e2b) {
      return new TickFailure(Reasons.SANDBOX_ERROR, e2b.outcome() + ": " + e.getMessage(), serviceFailure(e2b),
          e2b.retryAfter().orElse(null), false);
    }
    return new TickFailure("TickError", e.getClass().getSimpleName() + ": " + e.getMessage(), false, null, false);
  }

  /** The same classification as the sandbox controller's: only E2B's refusals are permanent. */
  private static boolean serviceFailure(E2BException e) {
    return !E2BErrorRules.of(e.outcome(), true).permanent();
  }

  /**
   * When to try again after the {@code failures}-th failure in a row: a failure of E2B's service on the short
   * sandbox backoff, any other (the strategy raised, a reference is missing, E2B refused) on the strategy's.
   */
  Instant nextTry(Instant now, Duration interval, int failures) {
    return serviceFailure ? AgentPlanner.retryAfterServiceFailure(now, interval, failures, retryAfter)
        : AgentPlanner.nextRun(now, interval, failures);
  }

  /** The Healthy condition's message. */
  String conditionMessage(int failures, Instant next) {
    return message + " (" + failures + " in a row; next try " + Times.format(next) + ")";
  }

  /** Events go out on the first failure and then at 2, 4, 8, ... in a row, not on every tick. */
  static boolean worthAnEvent(int failures) {
    return failures == 1 || Integer.bitCount(failures) == 1;
  }
}
