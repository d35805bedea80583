package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** Where an env var's value comes from; resolved when the sandbox is created and never copied into status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "has(self.secretKeyRef) != has(self.configMapKeyRef)",
    message = "valueFrom needs exactly one of secretKeyRef or configMapKeyRef")
public class EnvVarSource {
  private KeySelector secretKeyRef;
  private KeySelector configMapKeyRef;

  public KeySelector getSecretKeyRef() {
    return secretKeyRef;
  }

  public void setSecretKeyRef(KeySelector secretKeyRef) {
    this.secretKeyRef = secretKeyRef;
  }

  public KeySelector getConfigMapKeyRef() {
    return configMapKeyRef;
  }

  public void setConfigMapKeyRef(KeySelector configMapKeyRef) {
    this.configMapKeyRef = configMapKeyRef;
  }
}
