package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A Kubernetes-style environment variable: a literal value or a reference to a Secret or ConfigMap key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!(has(self.value) && has(self.valueFrom))",
    message = "an env var has either value or valueFrom, not both")
public class EnvVar {
  @Required
  @Pattern(ApiConstants.ENV_NAME_PATTERN)
  @Size(max = 128)
  private String name;
  @Size(max = 16384)
  private String value;
  private EnvVarSource valueFrom;

  public EnvVar() {}

  public EnvVar(String name, String value) {
    this.name = name;
    this.value = value;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public EnvVarSource getValueFrom() {
    return valueFrom;
  }

  public void setValueFrom(EnvVarSource valueFrom) {
    this.valueFrom = valueFrom;
  }
}
