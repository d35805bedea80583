package io.neuraltrader.e2b.client;

/** Refused without calling E2B: the circuit breaker of {@link #api()} is open. */
public class CircuitOpenException extends E2BException {
  private final Api api;

  public CircuitOpenException(ErrorDetails details, Api api, Throwable cause) {
    super(details, cause);
    this.api = api;
  }

  public Api api() {
    return api;
  }

  @Override
  public Outcome outcome() {
    return Outcome.CIRCUIT_OPEN;
  }
}
