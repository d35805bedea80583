package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** Body of {@code POST /sandboxes} (spec schema NewSandbox). Null fields are not sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record NewSandbox(
    @JsonProperty("templateID") String templateID,
    @JsonProperty("timeout") Integer timeout,
    @JsonProperty("autoPause") Boolean autoPause,
    @JsonProperty("secure") Boolean secure,
    @JsonProperty("allow_internet_access") Boolean allowInternetAccess,
    @JsonProperty("network") NetworkConfig network,
    @JsonProperty("metadata") Map<String, String> metadata,
    @JsonProperty("envVars") Map<String, String> envVars) {

  public NewSandbox {
    if (templateID == null || templateID.isBlank()) {
      throw new IllegalArgumentException("templateID is required");
    }
    if (timeout != null && timeout < 0) {
      throw new IllegalArgumentException("timeout must be >= 0 seconds, got " + timeout);
    }
    metadata = Maps.copy(metadata);
    SourceLiteral.checkEnvVars(envVars);
    envVars = Maps.copy(envVars);
  }

  public static Builder builder(String templateID) {
    return new Builder(templateID);
  }

  @Override
  public String toString() {
    return "NewSandbox[templateID=" + templateID + ", timeout=" + timeout + ", autoPause=" + autoPause
        + ", secure=" + secure + ", allowInternetAccess=" + allowInternetAccess + ", network=" + network
        + ", metadata=" + metadata + ", envVars=" + Maps.keysOnly(envVars) + "]";
  }

  /** Fluent construction; only templateID is required. */
  public static final class Builder {
    private final String templateID;
    private Integer timeout;
    private Boolean autoPause;
    private Boolean secure;
    private Boolean allowInternetAccess;
    private NetworkConfig network;
    private Map<String, String> metadata;
    private Map<String, String> envVars;

    private Builder(String templateID) {
      this.templateID = templateID;
    }

    public Builder timeoutSeconds(int seconds) {
      this.timeout = seconds;
      return this;
    }

    public Builder autoPause(boolean v) {
      this.autoPause = v;
      return this;
    }

    public Builder secure(boolean v) {
      this.secure = v;
      return this;
    }

    public Builder allowInternetAccess(boolean v) {
      this.allowInternetAccess = v;
      return this;
    }

    public Builder network(NetworkConfig v) {
      this.network = v;
      return this;
    }

    public Builder metadata(Map<String, String> v) {
      this.metadata = v;
      return this;
    }

    public Builder envVars(Map<String, String> v) {
      this.envVars = v;
      return this;
    }

    public NewSandbox build() {
      return new NewSandbox(templateID, timeout, autoPause, secure, allowInternetAccess, network, metadata,
          envVars);
    }
  }
}
