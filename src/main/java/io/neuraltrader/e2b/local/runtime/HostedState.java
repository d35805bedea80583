package io.neuraltrader.e2b.local.runtime;

/** E2B's sandbox states. */
public enum HostedState {
  RUNNING("running"),
  PAUSED("paused");

  private final String wireName;

  HostedState(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  static HostedState parse(String value) {
    for (HostedState s : values()) {
      if (s.wireName.equals(value)) {
        return s;
      }
    }
    throw new ApiException(400, "invalid state '" + value + "', expected running or paused");
  }
}
