package io.neuraltrader.e2b.client;

/** No (complete) answer in time. */
public class E2BTimeoutException extends E2BException {
  private final boolean serviceFault;

  /**
   * @param serviceFault false when the deadline ran out while the service was answering
   *     (an execution that outlived its own timeout), so the breaker does not count it
   */
  public E2BTimeoutException(ErrorDetails details, Throwable cause, boolean serviceFault) {
    super(details, cause);
    this.serviceFault = serviceFault;
  }

  @Override
  public Outcome outcome() {
    return Outcome.TIMEOUT;
  }

  @Override
  public boolean serviceFault() {
    return serviceFault;
  }
}
