package io.neuraltrader.e2b.shared;

/** A Secret, ConfigMap or key an env var or credential refers to does not exist. Names only, never values. */
public class MissingReferenceException extends Exception {
  private final String reason;

  public MissingReferenceException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Condition reason: SecretNotFound, ConfigMapNotFound or KeyNotFound. */
  public String reason() {
    return reason;
  }
}
