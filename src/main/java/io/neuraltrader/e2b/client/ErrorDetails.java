package io.neuraltrader.e2b.client;

import java.time.Duration;

/**
 * What is known about a failed call.
 *
 * @param operation the call
 * @param status HTTP status, 0 when no answer was received
 * @param code E2B body field {@code code}, null when absent
 * @param message E2B body field {@code message} (already redacted), null when absent
 * @param errorCode E2B body field {@code error_code}, null when absent
 * @param retryAfter the server's Retry-After, null when absent
 */
public record ErrorDetails(
    Operation operation, int status, Integer code, String message, String errorCode, Duration retryAfter) {

  static ErrorDetails noAnswer(Operation operation, String message) {
    return new ErrorDetails(operation, 0, null, message, null, null);
  }
}
