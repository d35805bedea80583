package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret holding a per-resource E2B API key (and optionally its API URL and domain). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CredentialsSecretRef {
  @Required
  @Pattern(ApiConstants.NAME_PATTERN)
  @Size(max = ApiConstants.NAME_MAX_LENGTH)
  private String name;
  @Default("apiKey")
  @Pattern(ApiConstants.KEY_PATTERN)
  @Size(max = ApiConstants.KEY_MAX_LENGTH)
  private String apiKeyKey = "apiKey";
  /** Optional key whose value overrides the E2B API URL (self-hosted E2B). */
  @Pattern(ApiConstants.KEY_PATTERN)
  @Size(max = ApiConstants.KEY_MAX_LENGTH)
  private String apiUrlKey;
  /** Optional key whose value overrides the E2B sandbox domain (self-hosted E2B). */
  @Pattern(ApiConstants.KEY_PATTERN)
  @Size(max = ApiConstants.KEY_MAX_LENGTH)
  private String domainKey;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getApiKeyKey() {
    return apiKeyKey;
  }

  public void setApiKeyKey(String apiKeyKey) {
    this.apiKeyKey = apiKeyKey;
  }

  public String getApiUrlKey() {
    return apiUrlKey;
  }

  public void setApiUrlKey(String apiUrlKey) {
    this.apiUrlKey = apiUrlKey;
  }

  public String getDomainKey() {
    return domainKey;
  }

  public void setDomainKey(String domainKey) {
    this.domainKey = domainKey;
  }
}
