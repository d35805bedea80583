package io.neuraltrader.e2b.client;

/** 400 and other 4xx answers not covered by a more specific type: the request itself is wrong. */
public class BadRequestException extends E2BException {
  public BadRequestException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  @Override
  public Outcome outcome() {
    return Outcome.BAD_REQUEST;
  }
}
