package io.neuraltrader.e2b.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Immutable settings of {@link HttpE2BClient}. Build with {@link #builder(ApiKey)}. */
public final class E2BClientConfig {
  public static final String DEFAULT_DOMAIN = "e2b.app";

  private final ApiKey apiKey;
  private final String apiUrl;
  private final String domain;
  private final String sandboxUrlOverride;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final RetryPolicy retryPolicy;
  private final BreakerSettings breaker;
  private final RateLimit rateLimit;
  private final int maxConcurrentCreates;

  private E2BClientConfig(Builder b) {
    this.apiKey = Objects.requireNonNull(b.apiKey, "apiKey");
    this.domain = requireText("domain", b.domain);
    this.apiUrl = stripSlash(b.apiUrl != null ? b.apiUrl : "https://api." + domain);
    this.sandboxUrlOverride = b.sandboxUrlOverride == null ? null : stripSlash(b.sandboxUrlOverride);
    this.connectTimeout = requirePositive("connectTimeout", b.connectTimeout);
    this.readTimeout = requirePositive("readTimeout", b.readTimeout);
    this.callTimeout = requirePositive("callTimeout", b.callTimeout);
    this.retryPolicy = Objects.requireNonNull(b.retryPolicy, "retryPolicy");
    this.breaker = Objects.requireNonNull(b.breaker, "breaker");
    this.rateLimit = Objects.requireNonNull(b.rateLimit, "rateLimit");
    if (b.maxConcurrentCreates < 1) {
      throw new IllegalArgumentException("maxConcurrentCreates must be >= 1, got " + b.maxConcurrentCreates);
    }
    this.maxConcurrentCreates = b.maxConcurrentCreates;
  }

  public static Builder builder(ApiKey apiKey) {
    return new Builder(apiKey);
  }

  public ApiKey apiKey() {
    return apiKey;
  }

  /** Control-plane base URL, without a trailing slash. */
  public String apiUrl() {
    return apiUrl;
  }

  public String domain() {
    return domain;
  }

  /** Base URL that replaces {@code https://49999-<id>.<domain>} for code execution (local runtime). */
  public Optional<String> sandboxUrlOverride() {
    return Optional.ofNullable(sandboxUrlOverride);
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  /** Whole-call deadline of one control-plane attempt (code execution uses its own timeout). */
  public Duration callTimeout() {
    return callTimeout;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public BreakerSettings breaker() {
    return breaker;
  }

  public RateLimit rateLimit() {
    return rateLimit;
  }

  public int maxConcurrentCreates() {
    return maxConcurrentCreates;
  }

  @Override
  public String toString() {
    return "E2BClientConfig[apiKey=" + apiKey + ", apiUrl=" + apiUrl + ", domain=" + domain
        + ", sandboxUrlOverride=" + sandboxUrlOverride + ", connectTimeout=" + connectTimeout
        + ", readTimeout=" + readTimeout + ", callTimeout=" + callTimeout + ", retry=" + retryPolicy
        + ", breaker=" + breaker + ", rateLimit=" + rateLimit
        + ", maxConcurrentCreates=" + maxConcurrentCreates + "]";
  }

  private static String stripSlash(String url) {
    String u = requireText("url", url);
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (!u.startsWith("http://") && !u.startsWith("https://")) {
      throw new IllegalArgumentException("URL must start with http:// or https://, got " + u);
    }
    return u;
  }

  private static String requireText(String name, String v) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return v.trim();
  }

  private static Duration requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  /** Builder with production defaults. */
  public static final class Builder {
    private final ApiKey apiKey;
    private String apiUrl;
    private String domain = DEFAULT_DOMAIN;
    private String sandboxUrlOverride;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ofSeconds(60);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private BreakerSettings breaker = BreakerSettings.defaults();
    private RateLimit rateLimit = RateLimit.defaults();
    private int maxConcurrentCreates = 5;

    private Builder(ApiKey apiKey) {
      this.apiKey = apiKey;
    }

    /** Defaults to {@code https://api.<domain>}. */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = apiUrl;
      return this;
    }

    public Builder domain(String domain) {
      this.domain = domain;
      return this;
    }

    public Builder sandboxUrlOverride(String baseUrl) {
      this.sandboxUrlOverride = baseUrl;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder readTimeout(Duration d) {
      this.readTimeout = d;
      return this;
    }

    public Builder callTimeout(Duration d) {
      this.callTimeout = d;
      return this;
    }

    public Builder retryPolicy(RetryPolicy p) {
      this.retryPolicy = p;
      return this;
    }

    public Builder breaker(BreakerSettings s) {
      this.breaker = s;
      return this;
    }

    public Builder rateLimit(RateLimit r) {
      this.rateLimit = r;
      return this;
    }

    public Builder maxConcurrentCreates(int n) {
      this.maxConcurrentCreates = n;
      return this;
    }

    public E2BClientConfig build() {
      return new E2BClientConfig(this);
    }
  }
}
