package io.neuraltrader.e2b.client;

/** The connection failed. {@link #requestNotSent()} is true when it certainly failed before sending. */
public class ConnectionFailureException extends E2BException {
  private final boolean requestNotSent;

  public ConnectionFailureException(ErrorDetails details, Throwable cause, boolean requestNotSent) {
    super(details, cause);
    this.requestNotSent = requestNotSent;
  }

  public boolean requestNotSent() {
    return requestNotSent;
  }

  @Override
  public Outcome outcome() {
    return Outcome.CONNECTION_ERROR;
  }

  @Override
  public boolean serviceFault() {
    return true;
  }
}
