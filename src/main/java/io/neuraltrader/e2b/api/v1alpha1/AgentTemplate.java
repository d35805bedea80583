package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The labels, annotations and spec of the TradingAgents a deployment runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AgentTemplate {
  @Size(max = 64)
  @Elements(maxLength = 63, pattern = ApiConstants.LABEL_VALUE_PATTERN)
  @ValidationRule(value = "self.all(k, k.matches('" + ApiConstants.QUALIFIED_NAME_PATTERN + "'))",
      message = "label keys: an optional DNS prefix and '/', then at most 63 of [-A-Za-z0-9_.] starting and"
          + " ending alphanumeric")
  private Map<String, String> labels;
  @Size(max = 64)
  @Elements(maxLength = 8192)
  @ValidationRule(value = "self.all(k, k.matches('" + ApiConstants.QUALIFIED_NAME_PATTERN + "'))",
      message = "annotation keys: an optional DNS prefix and '/', then at most 63 of [-A-Za-z0-9_.] starting"
          + " and ending alphanumeric")
  private Map<String, String> annotations;
  @Required
  private TradingAgentSpec spec;

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public TradingAgentSpec getSpec() {
    return spec;
  }

  public void setSpec(TradingAgentSpec spec) {
    this.spec = spec;
  }
}
