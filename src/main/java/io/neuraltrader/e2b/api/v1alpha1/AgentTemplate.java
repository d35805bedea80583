package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** The labels, annotations and spec of the TradingAgents a deployment runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AgentTemplate {
  private Map<String, String> labels;
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
