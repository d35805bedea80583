package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret or ConfigMap in the resource's own namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class KeySelector {
  @Required
  @Pattern(ApiConstants.NAME_PATTERN)
  @Size(max = ApiConstants.NAME_MAX_LENGTH)
  private String name;
  @Required
  @Pattern(ApiConstants.KEY_PATTERN)
  @Size(max = ApiConstants.KEY_MAX_LENGTH)
  private String key;
  /** When true, a missing Secret/ConfigMap or key leaves the variable unset instead of failing. */
  private Boolean optional;

  public KeySelector() {}

  public KeySelector(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Boolean getOptional() {
    return optional;
  }

  public void setOptional(Boolean optional) {
    this.optional = optional;
  }
}
