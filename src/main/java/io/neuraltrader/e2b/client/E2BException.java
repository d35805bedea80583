package io.neuraltrader.e2b.client;

import java.time.Duration;
import java.util.Optional;

/** Base of every error the E2B client throws. Messages never contain credentials. */
public abstract class E2BException extends RuntimeException {
  private final ErrorDetails details;

  protected E2BException(ErrorDetails details, Throwable cause) {
    super(describe(details), cause);
    this.details = details;
  }

  private static String describe(ErrorDetails d) {
    StringBuilder sb = new StringBuilder("E2B ").append(d.operation().tag()).append(" failed");
    if (d.status() > 0) {
      sb.append(": HTTP ").append(d.status());
    }
    if (d.errorCode() != null) {
      sb.append(" [").append(d.errorCode()).append(']');
    }
    if (d.message() != null && !d.message().isBlank()) {
      sb.append(": ").append(d.message());
    }
    if (d.retryAfter() != null) {
      sb.append(" (retry after ").append(d.retryAfter()).append(')');
    }
    return sb.toString();
  }

  public Operation operation() {
    return details.operation();
  }

  /** HTTP status, 0 when there was no answer. */
  public int status() {
    return details.status();
  }

  /** The {@code code} of the E2B error body. */
  public Optional<Integer> code() {
    return Optional.ofNullable(details.code());
  }

  /** The {@code message} of the E2B error body. */
  public Optional<String> e2bMessage() {
    return Optional.ofNullable(details.message());
  }

  /** The {@code error_code} of the E2B error body. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(details.errorCode());
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(details.retryAfter());
  }

  public ErrorDetails details() {
    return details;
  }

  /** The {@code outcome} tag this error is counted under. */
  public abstract Outcome outcome();

  /** Whether the error says the service is unhealthy (counted by the circuit breaker). */
  public boolean serviceFault() {
    return false;
  }
}
