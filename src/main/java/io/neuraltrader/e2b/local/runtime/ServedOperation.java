package io.neuraltrader.e2b.local.runtime;

/** The E2B operations the runtime counts and can inject faults into. */
public enum ServedOperation {
  CREATE("create"),
  LIST("list"),
  GET("get"),
  KILL("kill"),
  SET_TIMEOUT("set_timeout"),
  PAUSE("pause"),
  /** Connect and the deprecated resume. */
  CONNECT("connect"),
  /** Both the batch and the per-sandbox metrics endpoints. */
  METRICS("metrics"),
  LOGS("logs"),
  EXECUTE("execute"),
  /** Create, list, delete and restart of code contexts. */
  CONTEXTS("contexts"),
  HEALTH("health");

  private final String wireName;

  ServedOperation(String wireName) {
    this.wireName = wireName;
  }

  /** Requests that go to a sandbox through the sandbox proxy rather than to the control plane. */
  boolean sandboxTraffic() {
    return this == EXECUTE || this == CONTEXTS || this == HEALTH;
  }

  /** The snake_case name used in configuration and reports. */
  public String wireName() {
    return wireName;
  }

  public static ServedOperation fromWireName(String name) {
    for (ServedOperation op : values()) {
      if (op.wireName.equals(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown operation '" + name + "'");
  }
}
