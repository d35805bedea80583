package io.neuraltrader.e2b.local.runtime;

/** An API answer other than success: turned into E2B's {@code {"code", "message"}} error body. */
final class ApiException extends RuntimeException {

  final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
