package io.neuraltrader.e2b.client;

/**
 * E2B cannot host another sandbox now. Rule: the body's {@code error_code} is
 * {@code sandbox_capacity_unavailable}, or the status is 429/503 and the message mentions a
 * capacity or concurrency limit ("capacity", "concurrent", "concurrency").
 *
 * <p>Nothing was created. The client does not retry it: such limits last minutes, so the caller
 * should requeue and report it instead of holding a create slot.
 */
public class CapacityException extends E2BException {
  public CapacityException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  @Override
  public Outcome outcome() {
    return Outcome.CAPACITY;
  }
}
