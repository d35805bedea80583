package io.neuraltrader.e2b.client;

import java.util.Objects;

/** The E2B API key. Its toString never shows the value, so it cannot leak through logs or messages. */
public final class ApiKey {
  private final String value;

  private ApiKey(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("E2B API key must not be empty");
    }
    this.value = value.trim();
  }

  public static ApiKey of(String value) {
    return new ApiKey(value);
  }

  /** The secret itself; only the HTTP layer should call this. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }
}
