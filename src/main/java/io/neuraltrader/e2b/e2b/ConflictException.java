package io.neuraltrader.e2b.e2b;

/** 409: the sandbox is in the wrong state for the call (e.g. already paused). */
public class ConflictException extends E2BException {
  public ConflictException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  @Override
  public Outcome outcome() {
    return Outcome.CONFLICT;
  }
}
