package io.neuraltrader.e2b.client;

/** 401/403: the API key or access token was refused. */
public class AuthException extends E2BException {
  public AuthException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  @Override
  public Outcome outcome() {
    return Outcome.AUTH;
  }
}
