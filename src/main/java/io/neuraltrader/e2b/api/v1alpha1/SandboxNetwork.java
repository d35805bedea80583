package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Egress rules of a sandbox, passed to E2B at create time. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SandboxNetwork {
  @Default("true")
  private Boolean allowInternetAccess = true;
  /**
   * False makes the sandbox's ports reachable only with its traffic access token (E2B returns it at create
   * and connect; the operator keeps it in memory and sends it on every code execution).
   */
  @Default("true")
  private Boolean allowPublicTraffic = true;
  /**
   * IPv4 addresses, CIDRs or domains (example.com, *.example.com) the sandbox may reach even when internet
   * access is off; they take precedence over denyOut.
   */
  @Size(max = 64)
  @Elements(maxLength = 253, pattern = ApiConstants.ALLOW_OUT_PATTERN)
  @ListType("set")
  private List<String> allowOut;
  /** IPv4 addresses or CIDRs the sandbox may never reach (E2B takes no domains here); 0.0.0.0/0 is all. */
  @Size(max = 64)
  @Elements(maxLength = 18, pattern = ApiConstants.DENY_OUT_PATTERN)
  @ListType("set")
  private List<String> denyOut;

  public Boolean getAllowInternetAccess() {
    return allowInternetAccess;
  }

  public void setAllowInternetAccess(Boolean allowInternetAccess) {
    this.allowInternetAccess = allowInternetAccess;
  }

  public Boolean getAllowPublicTraffic() {
    return allowPublicTraffic;
  }

  public void setAllowPublicTraffic(Boolean allowPublicTraffic) {
    this.allowPublicTraffic = allowPublicTraffic;
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
