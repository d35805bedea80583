package io.neuraltrader.e2b.client;

/**
 * A create was sent but its answer was lost (timeout, reset, 5xx): a sandbox may exist. Look it up
 * by its metadata before creating again; the client never sends a second POST blindly.
 * {@link #getCause()} is the underlying failure.
 */
public class CreateOutcomeUnknownException extends E2BException {
  private final E2BException underlying;

  public CreateOutcomeUnknownException(E2BException underlying) {
    super(new ErrorDetails(underlying.operation(), underlying.status(), underlying.code().orElse(null),
        "outcome unknown, look up by metadata before creating again ("
            + underlying.getClass().getSimpleName() + ": " + underlying.getMessage() + ")",
        underlying.errorCode().orElse(null), null), underlying);
    this.underlying = underlying;
  }

  @Override
  public Outcome outcome() {
    return Outcome.OUTCOME_UNKNOWN;
  }

  @Override
  public boolean serviceFault() {
    return underlying.serviceFault();
  }
}
