package io.neuraltrader.e2b.local.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Settings of a {@link LocalSandboxRuntime}; build with {@link #builder()}. */
public final class RuntimeConfig {

  private final int port;
  private final String apiKey;
  private final String domain;
  private final Clock clock;
  private final long seed;
  private final Duration maxTimeout;
  private final Duration defaultTimeout;
  private final List<TemplateSpec> templates;
  private final String pythonCommand;
  private final Duration keepaliveInterval;
  private final Duration sweepInterval;
  private final Duration idleConnectionTimeout;
  private final String envdVersion;
  private final int maxConcurrentSandboxes;

  private RuntimeConfig(Builder b) {
    this.port = b.port;
    this.apiKey = b.apiKey;
    this.domain = b.domain;
    this.clock = b.clock;
    this.seed = b.seed;
    this.maxTimeout = b.maxTimeout;
    this.defaultTimeout = b.defaultTimeout;
    this.templates = List.copyOf(b.templates);
    this.pythonCommand = b.pythonCommand;
    this.keepaliveInterval = b.keepaliveInterval;
    this.sweepInterval = b.sweepInterval;
    this.idleConnectionTimeout = b.idleConnectionTimeout;
    this.envdVersion = b.envdVersion;
    this.maxConcurrentSandboxes = b.maxConcurrentSandboxes;
  }

  /** Running sandboxes allowed at once, like an E2B tier's limit (20 on hobby); 0 means no limit. */
  public int maxConcurrentSandboxes() {
    return maxConcurrentSandboxes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: free port, key {@code e2b_local}, system clock, the two default templates. */
  public static RuntimeConfig defaults() {
    return builder().build();
  }

  /** TCP port on 127.0.0.1; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** The value {@code X-API-Key} must carry. */
  public String apiKey() {
    return apiKey;
  }

  /** Domain reported in create/connect answers; null means {@code localhost:<port>}. */
  public String domain() {
    return domain;
  }

  /** The clock sandbox timeouts run on (a {@code SimulatedClock} in tests). */
  public Clock clock() {
    return clock;
  }

  /** Seed of sandbox ids, tokens and fault draws. */
  public long seed() {
    return seed;
  }

  /** Longest timeout a create, set-timeout or connect accepts (E2B: 1 h hobby, 24 h pro). */
  public Duration maxTimeout() {
    return maxTimeout;
  }

  /** Timeout of a create that does not send one (E2B's server default is 15 s). */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  public List<TemplateSpec> templates() {
    return templates;
  }

  /** The Python interpreter each code context runs. */
  public String pythonCommand() {
    return pythonCommand;
  }

  /** How often a running execution sends a keepalive line (E2B: 5 s). */
  public Duration keepaliveInterval() {
    return keepaliveInterval;
  }

  /** How often (real time) the sweeper looks for expired sandboxes. */
  public Duration sweepInterval() {
    return sweepInterval;
  }

  /** Idle keep-alive connections are closed after this long. */
  public Duration idleConnectionTimeout() {
    return idleConnectionTimeout;
  }

  public String envdVersion() {
    return envdVersion;
  }

  /** Builder with the defaults of local mode. */
  public static final class Builder {
    private int port;
    private String apiKey = "e2b_local";
    private String domain;
    private Clock clock = Clock.systemUTC();
    private long seed = 1L;
    private Duration maxTimeout = Duration.ofHours(1);
    private Duration defaultTimeout = Duration.ofSeconds(15);
    private List<TemplateSpec> templates = new ArrayList<>(List.of(TemplateSpec.codeInterpreter(), TemplateSpec.base()));
    private String pythonCommand = "python3";
    private Duration keepaliveInterval = Duration.ofSeconds(5);
    private Duration sweepInterval = Duration.ofMillis(200);
    private Duration idleConnectionTimeout = Duration.ofSeconds(120);
    private String envdVersion = "0.2.0";
    private int maxConcurrentSandboxes;

    private Builder() {}

    /** Answers creates beyond this many running sandboxes with E2B's 429 concurrency-limit error. */
    public Builder maxConcurrentSandboxes(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxConcurrentSandboxes must be >= 0");
      }
      this.maxConcurrentSandboxes = value;
      return this;
    }

    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port out of range: " + value);
      }
      this.port = value;
      return this;
    }

    public Builder apiKey(String value) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("apiKey must not be empty");
      }
      this.apiKey = value;
      return this;
    }

    public Builder domain(String value) {
      this.domain = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder maxTimeout(Duration value) {
      this.maxTimeout = positive(value, "maxTimeout");
      return this;
    }

    public Builder defaultTimeout(Duration value) {
      this.defaultTimeout = positive(value, "defaultTimeout");
      return this;
    }

    /** Replaces the template catalog. */
    public Builder templates(List<TemplateSpec> value) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException("at least one template is needed");
      }
      this.templates = new ArrayList<>(value);
      return this;
    }

    /** Adds a template to the catalog. */
    public Builder template(TemplateSpec value) {
      this.templates.add(Objects.requireNonNull(value, "template"));
      return this;
    }

    public Builder pythonCommand(String value) {
      this.pythonCommand = Objects.requireNonNull(value, "pythonCommand");
      return this;
    }

    public Builder keepaliveInterval(Duration value) {
      this.keepaliveInterval = positive(value, "keepaliveInterval");
      return this;
    }

    public Builder sweepInterval(Duration value) {
      this.sweepInterval = positive(value, "sweepInterval");
      return this;
    }

    public Builder idleConnectionTimeout(Duration value) {
      this.idleConnectionTimeout = positive(value, "idleConnectionTimeout");
      return this;
    }

    public Builder envdVersion(String value) {
      this.envdVersion = Objects.requireNonNull(value, "envdVersion");
      return this;
    }

    public RuntimeConfig build() {
      return new RuntimeConfig(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
