package io.neuraltrader.e2b.client;

/** Every call the client makes, with its metric tag and how it may be retried. */
public enum Operation {
  CREATE("create", Api.CONTROL, RetryMode.CREATE, false),
  LIST("list", Api.CONTROL, RetryMode.FULL, false),
  GET("get", Api.CONTROL, RetryMode.FULL, true),
  KILL("kill", Api.CONTROL, RetryMode.FULL, true),
  SET_TIMEOUT("set_timeout", Api.CONTROL, RetryMode.FULL, true),
  PAUSE("pause", Api.CONTROL, RetryMode.FULL, true),
  CONNECT("connect", Api.CONTROL, RetryMode.FULL, true),
  METRICS("metrics", Api.CONTROL, RetryMode.FULL, false),
  SANDBOX_METRICS("sandbox_metrics", Api.CONTROL, RetryMode.FULL, true),
  EXECUTE("execute", Api.EXECUTE, RetryMode.NONE, false),
  CREATE_CONTEXT("create_context", Api.EXECUTE, RetryMode.SAFE_ONLY, false),
  RESTART_CONTEXT("restart_context", Api.EXECUTE, RetryMode.FULL, false),
  DELETE_CONTEXT("delete_context", Api.EXECUTE, RetryMode.FULL, false);

  /** Calls that keep sandboxes alive or end them: they bypass the ordinary rate-limit queue. */
  boolean priority() {
    return this == SET_TIMEOUT || this == KILL || this == PAUSE || this == CONNECT;
  }

  /** Which failures a call may be repeated after. */
  enum RetryMode {
    /** 429, 502/503/504, timeouts and connection failures. */
    FULL,
    /** Only when nothing can have happened (429, connection never made); otherwise the error as is. */
    SAFE_ONLY,
    /** Like SAFE_ONLY, but an uncertain failure becomes CreateOutcomeUnknownException. */
    CREATE,
    /** Never. */
    NONE
  }

  private final String tag;
  private final Api api;
  private final RetryMode retryMode;
  private final boolean sandboxScoped;

  Operation(String tag, Api api, RetryMode retryMode, boolean sandboxScoped) {
    this.tag = tag;
    this.api = api;
    this.retryMode = retryMode;
    this.sandboxScoped = sandboxScoped;
  }

  public String tag() {
    return tag;
  }

  public Api api() {
    return api;
  }

  RetryMode retryMode() {
    return retryMode;
  }

  /** True when a 404 means the sandbox in the path does not exist. */
  boolean sandboxScoped() {
    return sandboxScoped;
  }
}
