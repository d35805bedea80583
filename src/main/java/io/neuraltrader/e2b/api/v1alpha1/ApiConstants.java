package io.neuraltrader.e2b.api.v1alpha1;

/** Names shared by the API types, the reconcilers and the manifests. */
public final class ApiConstants {
  private ApiConstants() {}

  public static final String GROUP = "e2b.neuraltrader.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Symbols as the API accepts them: upper-case tickers, optionally with an exchange or venue suffix. */
  public static final String SYMBOL_PATTERN = "^[A-Z0-9][A-Z0-9./:-]{0,19}$";
  /** Local time of day, 24-hour clock. */
  public static final String TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
  /** Durations such as 500ms, 90s, 30m, 8h, 2d, 1h30m. */
  public static final String DURATION_PATTERN = "^([0-9]+(ms|s|m|h|d))+$";
  /** A day name or a range of day names, e.g. Mon, Mon-Fri. */
  public static final String DAYS_PATTERN =
      "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?$";
  /** Kubernetes object names (DNS-1123 subdomain). */
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";
  /** Environment variable names. */
  public static final String ENV_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,127}$";

  /** Labels and annotations the operator puts on objects it manages. */
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "e2b-operator";
  public static final String LABEL_POOL = GROUP + "/pool";
  public static final String LABEL_POOL_STATE = GROUP + "/pool-state";
  public static final String POOL_STATE_WARM = "warm";
  public static final String POOL_STATE_CLAIMED = "claimed";
  /** A warm member the pool is removing: it can no longer be claimed. */
  public static final String POOL_STATE_RETIRING = "retiring";
  public static final String LABEL_DEPLOYMENT = GROUP + "/deployment";
  public static final String LABEL_AGENT = GROUP + "/agent";
  public static final String ANNOTATION_APPROVE_SCALE = GROUP + "/approve-scale";
  public static final String ANNOTATION_TEMPLATE_HASH = GROUP + "/template-hash";
  public static final String FINALIZER = GROUP + "/finalizer";
}
