package io.neuraltrader.e2b.local.runtime;

/**
 * An API answer other than success: turned into E2B's {@code {"code", "message"}} error body, or the sandbox
 * proxy's {@code {"message", "sandboxId", "code"}} when a sandbox id is given.
 */
final class ApiException extends RuntimeException {

  final int status;
  final String sandboxId;

  ApiException(int status, String message) {
    this(status, message, null);
  }

  private ApiException(int status, String message, String sandboxId) {
    super(message, null, false, false);
    this.status = status;
    this.sandboxId = sandboxId;
  }

  /** An answer of the sandbox proxy (in front of the code interpreter), which names the sandbox. */
  static ApiException fromProxy(int status, String message, String sandboxId) {
    return new ApiException(status, message, sandboxId);
  }

  byte[] body() {
    return sandboxId == null ? RequestJson.errorBody(status, getMessage())
        : RequestJson.proxyErrorBody(status, getMessage(), sandboxId);
  }
}
