package io.neuraltrader.e2b.local.runtime;

/** E2B's sandbox states. */
public enum SandboxState {
  RUNNING("running"),
  PAUSED("paused");

  private final String wireName;

  SandboxState(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  static SandboxState parse(String value) {
    for (SandboxState s : values()) {
      if (s.wireName.equals(value)) {
        return s;
      }
    }
    throw new ApiException(400, "invalid state '" + value + "', expected running or paused");
  }
}
