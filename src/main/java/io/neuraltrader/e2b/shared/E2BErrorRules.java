package io.neuraltrader.e2b.shared;

import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.client.Outcome;

/** How the sandbox controller answers each outcome of a failed E2B call: its Ready reason and when to retry. */
public final class E2BErrorRules {
  private E2BErrorRules() {}

  /** When to try again. */
  public enum Retry {
    /** Exponential backoff, or the server's Retry-After when that is longer. */
    BACKOFF,
    /** Exponential backoff but at least one second: no answer came, so there is no Retry-After to honour. */
    BACKOFF_AT_LEAST_1S,
    /**
     * Permanent: E2B decided, and the same inputs would only repeat it. Tried again when the spec or a Secret
     * or ConfigMap it references changes, or after the long cap; a sandbox never created goes Failed.
     */
    ON_INPUT_CHANGE
  }

  public record Rule(String reason, Retry retry) {
    public boolean permanent() {
      return retry == Retry.ON_INPUT_CHANGE;
    }
  }

  private static final Rule E2B_ERROR = new Rule("E2BError", Retry.BACKOFF);
  private static final Rule CREATE_REJECTED = new Rule(Reasons.CREATE_REJECTED, Retry.ON_INPUT_CHANGE);

  /**
   * The rule for {@code outcome}; {@code created} says whether the sandbox exists in E2B already (a not-found
   * before then rejects the create, e.g. an unknown template; after it, the sandbox is handled as lost).
   */
  public static Rule of(Outcome outcome, boolean created) {
    return switch (outcome) {
      case OUTCOME_UNKNOWN -> new Rule("CreateOutcomeUnknown", Retry.BACKOFF_AT_LEAST_1S);
      case CAPACITY -> new Rule(Reasons.CAPACITY_EXCEEDED, Retry.BACKOFF);
      case RATE_LIMITED -> new Rule(Reasons.RATE_LIMITED, Retry.BACKOFF);
      case CIRCUIT_OPEN -> new Rule(Reasons.E2B_UNAVAILABLE, Retry.BACKOFF);
      case AUTH -> new Rule(Reasons.AUTHENTICATION_FAILED, Retry.ON_INPUT_CHANGE);
      case CONFLICT -> new Rule("SandboxTransitioning", Retry.BACKOFF);
      case BAD_REQUEST -> CREATE_REJECTED;
      case NOT_FOUND -> created ? E2B_ERROR : CREATE_REJECTED;
      case TIMEOUT, SERVER_ERROR, CONNECTION_ERROR, SUCCESS -> E2B_ERROR;
    };
  }
}
