package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** Where an agent's sandbox comes from: exactly one of a pool claim, an existing sandbox, or its own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "[has(self.poolRef), has(self.sandboxRef), has(self.template)].filter(x, x).size() == 1",
    message = "sandbox needs exactly one of poolRef, sandboxRef or template")
public class AgentSandboxSource {
  /** Claim a warm member of this SandboxPool (no E2B call on the claim path). */
  private LocalRef poolRef;
  /** Run in this existing E2BSandbox. */
  private LocalRef sandboxRef;
  /** Own a dedicated E2BSandbox with this spec. */
  @ValidationRule(value = "!has(self.claimRef)",
      message = "claimRef is set by the operator when a member is claimed, never in a template")
  private E2BSandboxSpec template;

  public LocalRef getPoolRef() {
    return poolRef;
  }

  public void setPoolRef(LocalRef poolRef) {
    this.poolRef = poolRef;
  }

  public LocalRef getSandboxRef() {
    return sandboxRef;
  }

  public void setSandboxRef(LocalRef sandboxRef) {
    this.sandboxRef = sandboxRef;
  }

  public E2BSandboxSpec getTemplate() {
    return template;
  }

  public void setTemplate(E2BSandboxSpec template) {
    this.template = template;
  }
}
