package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Egress rules of a sandbox, passed to E2B at create time. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SandboxNetwork {
  @Default("true")
  private Boolean allowInternetAccess = true;
  /** CIDRs or domains the sandbox may reach even when internet access is off. */
  @ValidationRule(value = "self.size() <= 64", message = "at most 64 allowOut entries")
  private List<String> allowOut;
  /** CIDRs the sandbox may never reach. */
  @ValidationRule(value = "self.size() <= 64", message = "at most 64 denyOut entries")
  private List<String> denyOut;

  public Boolean getAllowInternetAccess() {
    return allowInternetAccess;
  }

  public void setAllowInternetAccess(Boolean allowInternetAccess) {
    this.allowInternetAccess = allowInternetAccess;
  }

  public List<String> getAllowOut() {
    return allowOut;
  }

  public void setAllowOut(List<String> allowOut) {
    this.allowOut = allowOut;
  }

  public List<String> getDenyOut() {
    return denyOut;
  }

  public void setDenyOut(List<String> denyOut) {
    this.denyOut = denyOut;
  }
}
