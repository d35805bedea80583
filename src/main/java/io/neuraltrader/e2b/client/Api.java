package io.neuraltrader.e2b.client;

/** The two E2B endpoints the client talks to; each has its own circuit breaker. */
public enum Api {
  /** api.<domain>: sandbox lifecycle. */
  CONTROL("control"),
  /** 49999-<id>.<domain>: the code interpreter inside a sandbox. */
  EXECUTE("execute");

  private final String tag;

  Api(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
