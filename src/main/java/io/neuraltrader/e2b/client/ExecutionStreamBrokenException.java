package io.neuraltrader.e2b.client;

/** The execution stream ended or failed before end_of_execution; the code may or may not have finished. */
public class ExecutionStreamBrokenException extends E2BException {
  public ExecutionStreamBrokenException(ErrorDetails details, Throwable cause) {
    super(details, cause);
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
