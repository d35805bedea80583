package io.neuraltrader.e2b.client;

/** The outcome tag of {@code e2b.requests}. */
public enum Outcome {
  SUCCESS("success"),
  NOT_FOUND("not_found"),
  CONFLICT("conflict"),
  RATE_LIMITED("rate_limited"),
  CAPACITY("capacity"),
  AUTH("auth"),
  BAD_REQUEST("bad_request"),
  TIMEOUT("timeout"),
  SERVER_ERROR("server_error"),
  CONNECTION_ERROR("connection_error"),
  CIRCUIT_OPEN("circuit_open"),
  OUTCOME_UNKNOWN("outcome_unknown");

  private final String tag;

  Outcome(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
