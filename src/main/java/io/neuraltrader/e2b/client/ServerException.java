package io.neuraltrader.e2b.client;

/** 5xx (other than capacity), or a successful status with an unreadable body. */
public class ServerException extends E2BException {
  public ServerException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  @Override
  public Outcome outcome() {
    return Outcome.SERVER_ERROR;
  }

  @Override
  public boolean serviceFault() {
    return true;
  }
}
