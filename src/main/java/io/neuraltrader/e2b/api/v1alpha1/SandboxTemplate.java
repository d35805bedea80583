package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The labels, annotations and spec of the E2BSandbox members a pool creates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SandboxTemplate {
  private Map<String, String> labels;
  private Map<String, String> annotations;
  private E2BSandboxSpec spec = new E2BSandboxSpec();

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

  public E2BSandboxSpec getSpec() {
    return spec;
  }

  public void setSpec(E2BSandboxSpec spec) {
    this.spec = spec;
  }
}
