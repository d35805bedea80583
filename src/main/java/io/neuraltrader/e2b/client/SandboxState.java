package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonValue;

/** Sandbox state as E2B reports it; UNKNOWN for values newer than this client. */
public enum SandboxState {
  RUNNING("running"),
  PAUSED("paused"),
  @JsonEnumDefaultValue
  UNKNOWN("unknown");

  private final String wire;

  SandboxState(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }
}
