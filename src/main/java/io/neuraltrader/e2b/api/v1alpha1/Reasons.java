package io.neuraltrader.e2b.api.v1alpha1;

import java.util.Set;

/**
 * Condition and event reasons that one controller writes and another reads. Writer and reader both use these
 * names, so renaming a reason cannot silently break the reader.
 */
public final class Reasons {
  private Reasons() {}

  /** The spec failed validation; every controller sets it on its own resource and reads it back. */
  public static final String INVALID_SPEC = "InvalidSpec";

  // E2BSandbox Ready=False: E2B is not taking more sandboxes right now (read by the SandboxPool).
  public static final String CAPACITY_EXCEEDED = "CapacityExceeded";
  public static final String RATE_LIMITED = "RateLimited";
  public static final String E2B_UNAVAILABLE = "E2BUnavailable";

  // E2BSandbox Ready=False: permanent failures the sandbox controller decides on.
  public static final String CREATE_REJECTED = "CreateRejected";
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String CONFIG_MAP_NOT_FOUND = "ConfigMapNotFound";
  public static final String KEY_NOT_FOUND = "KeyNotFound";

  // TradingAgent Healthy=False: the tick itself failed (read by the E2BDeployment's health counts).
  public static final String TICK_FAILED = "TickFailed";
  public static final String SANDBOX_ERROR = "SandboxError";

  /** E2BSandbox Ready reasons that hold a pool's creates until E2B takes sandboxes again. */
  public static final Set<String> E2B_NOT_TAKING_SANDBOXES = Set.of(CAPACITY_EXCEEDED, RATE_LIMITED, E2B_UNAVAILABLE);

  /** A Secret, ConfigMap or key that an E2BSandbox refers to does not exist. */
  public static final Set<String> MISSING_REFERENCE = Set.of(SECRET_NOT_FOUND, CONFIG_MAP_NOT_FOUND, KEY_NOT_FOUND);

  /** TradingAgent Healthy reasons that count the agent as unhealthy (any other False reason is degraded). */
  public static final Set<String> AGENT_UNHEALTHY = Set.of(TICK_FAILED, SANDBOX_ERROR);
}
