package io.neuraltrader.e2b.api.v1alpha1;

/** Names shared by the API types, the reconcilers and the manifests. */
public final class ApiConstants {
  private ApiConstants() {}

  public static final String GROUP = "e2b.neuraltrader.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Symbols as the API accepts them: upper-case tickers, optionally with an exchange or venue suffix. */
  public static final String SYMBOL_PATTERN = "^[A-Z0-9][A-Z0-9./:-]{0,19}$";
  public static final int SYMBOL_MAX_LENGTH = 20;
  /** Local time of day, 24-hour clock. */
  public static final String TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
  /**
   * Durations such as 500ms, 90s, 30m, 8h, 2d, 1h30m: positive (the first amount is not zero) and bounded (at
   * most four amounts of at most six digits).
   */
  public static final String DURATION_PATTERN = "^[1-9][0-9]{0,5}(ms|s|m|h|d)([0-9]{1,6}(ms|s|m|h|d)){0,3}$";
  public static final int DURATION_MAX_LENGTH = 32;
  /** A day name or a range of day names, e.g. Mon, Mon-Fri. */
  public static final String DAYS_PATTERN =
      "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?$";
  /** Kubernetes object names (DNS-1123 subdomain). */
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";
  public static final int NAME_MAX_LENGTH = 253;
  /** Keys of Secrets and ConfigMaps. */
  public static final String KEY_PATTERN = "^[-._a-zA-Z0-9]{1,253}$";
  public static final int KEY_MAX_LENGTH = 253;
  /** http(s) URLs without whitespace or quotes; RE2 allows repeat counts only up to 1000, hence maxLength. */
  public static final String URL_PATTERN = "^https?://[^\\s\"'`]+$";
  public static final int URL_MAX_LENGTH = 2000;
  /** IPv4 address, optionally with a prefix length (CIDR), as E2B's egress rules take them. */
  public static final String IPV4_CIDR_PATTERN = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
      + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}(/(3[0-2]|[12]?[0-9]))?";
  /** A domain name, optionally with a leading wildcard label (*.example.com). */
  public static final String DOMAIN_PATTERN =
      "(\\*\\.)?([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}";
  /** denyOut entries: IPv4 addresses or CIDRs (E2B takes no domains there). */
  public static final String DENY_OUT_PATTERN = "^" + IPV4_CIDR_PATTERN + "$";
  /** allowOut entries: IPv4 addresses, CIDRs or domains. */
  public static final String ALLOW_OUT_PATTERN = "^(" + IPV4_CIDR_PATTERN + "|" + DOMAIN_PATTERN + ")$";
  /** Environment variable names. */
  public static final String ENV_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,127}$";
  /** Keys of E2B sandbox metadata: no '=' or '&', which would break E2B's metadata list filter. */
  public static final String METADATA_KEY_PATTERN = "^[A-Za-z0-9][-A-Za-z0-9_.:/]{0,127}$";
  /** Label keys: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
  public static final String QUALIFIED_NAME_PATTERN =
      "^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
  /** Label values: empty, or at most 63 of [-A-Za-z0-9_.] starting and ending alphanumeric. */
  public static final String LABEL_VALUE_PATTERN = "^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$";

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
  /** A new value (any: the MCP scale tool writes the time) lifts the deployment's manual override. */
  public static final String ANNOTATION_RESUME_SCHEDULES = GROUP + "/resume-schedules";
  public static final String ANNOTATION_TEMPLATE_HASH = GROUP + "/template-hash";
  public static final String FINALIZER = GROUP + "/finalizer";
}
