package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The source of a custom strategy: a ConfigMap key holding Python that defines generate_signals(ctx). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CodeSource {
  @Required
  private KeySelector configMapRef;

  public KeySelector getConfigMapRef() {
    return configMapRef;
  }

  public void setConfigMapRef(KeySelector configMapRef) {
    this.configMapRef = configMapRef;
  }
}
