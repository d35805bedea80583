package io.neuraltrader.e2b.client;

/** 429 from E2B's rate limiter; {@link #retryAfter()} carries the server's Retry-After when given. */
public class RateLimitedException extends E2BException {
  public RateLimitedException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  @Override
  public Outcome outcome() {
    return Outcome.RATE_LIMITED;
  }
}
