package io.neuraltrader.e2b.client;

/** Removes secrets from text that came from outside (error bodies) before it reaches a message. */
final class Redactor {
  static final String MASK = "[redacted]";
  private final String secret;

  Redactor(ApiKey key) {
    this.secret = key.reveal();
  }

  String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return text.replace(secret, MASK);
  }
}
