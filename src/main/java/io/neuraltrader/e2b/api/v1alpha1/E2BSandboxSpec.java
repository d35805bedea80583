package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Desired state of one E2B sandbox. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class E2BSandboxSpec {
  public static final String DEFAULT_TEMPLATE = "code-interpreter-v1";

  /** E2B template ID or alias. */
  @Default(DEFAULT_TEMPLATE)
  @Pattern("^[a-zA-Z0-9][a-zA-Z0-9_.:/-]{0,127}$")
  @Size(max = 128)
  private String template = DEFAULT_TEMPLATE;
  /**
   * The E2B-side timeout. The operator renews it well before it runs out for as long as the resource
   * exists, so if the operator dies the sandbox dies within this many seconds.
   */
  @Default("300")
  @Min(30)
  @Max(86400)
  private Integer timeoutSeconds = 300;
  /** Hard cap on the sandbox's life (e.g. 8h); afterwards the phase is Expired and the sandbox is killed. */
  @Pattern(ApiConstants.DURATION_PATTERN)
  @Size(max = ApiConstants.DURATION_MAX_LENGTH)
  private String lifetime;
  /** No execution for this long triggers idleAction. */
  @Pattern(ApiConstants.DURATION_PATTERN)
  @Size(max = ApiConstants.DURATION_MAX_LENGTH)
  private String idleTimeout;
  @Default("Pause")
  private IdleAction idleAction = IdleAction.Pause;
  /** Desired pause state: true pauses the sandbox (memory and disk kept), false resumes it. */
  @Default("false")
  private Boolean paused = false;
  /** Environment of the sandbox, resolved at create time. Secret values never reach status or logs. */
  @Size(max = 128)
  @ListType(value = "map", keys = "name")
  private List<EnvVar> envVars;
  /** Metadata passed to E2B. Keys under e2b.neuraltrader.io/ are reserved for the operator. */
  @Size(max = 32)
  @Elements(maxLength = 512)
  @ValidationRule(value = "self.all(k, k.matches('" + ApiConstants.METADATA_KEY_PATTERN + "')"
      + " && !k.startsWith('e2b.neuraltrader.io/'))",
      message = "metadata keys match " + ApiConstants.METADATA_KEY_PATTERN
          + "; keys under e2b.neuraltrader.io/ are reserved for the operator")
  private Map<String, String> metadata;
  private SandboxNetwork network;
  /** Secure sandboxes require an access token for code execution. */
  @Default("true")
  private Boolean secure = true;
  private SandboxResources resources;
  /** Per-resource E2B credentials; the operator's own are used when absent. */
  private CredentialsSecretRef credentialsSecretRef;
  /**
   * Set by the operator when a pool member is claimed. The chart's admission policy lets only the operator
   * set, change or clear it (a CRD rule cannot see who writes); templates of pools and agents cannot carry it.
   */
  private ClaimRef claimRef;

  public String getTemplate() {
    return template;
  }

  public void setTemplate(String template) {
    this.template = template;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public String getLifetime() {
    return lifetime;
  }

  public void setLifetime(String lifetime) {
    this.lifetime = lifetime;
  }

  public String getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(String idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public IdleAction getIdleAction() {
    return idleAction;
  }

  public void setIdleAction(IdleAction idleAction) {
    this.idleAction = idleAction;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public List<EnvVar> getEnvVars() {
    return envVars;
  }

  public void setEnvVars(List<EnvVar> envVars) {
    this.envVars = envVars;
  }

  public Map<String, String> getMetadata() {
    return metadata;
  }

  public void setMetadata(Map<String, String> metadata) {
    this.metadata = metadata;
  }

  public SandboxNetwork getNetwork() {
    return network;
  }

  public void setNetwork(SandboxNetwork network) {
    this.network = network;
  }

  public Boolean getSecure() {
    return secure;
  }

  public void setSecure(Boolean secure) {
    this.secure = secure;
  }

  public SandboxResources getResources() {
    return resources;
  }

  public void setResources(SandboxResources resources) {
    this.resources = resources;
  }

  public CredentialsSecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(CredentialsSecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public ClaimRef getClaimRef() {
    return claimRef;
  }

  public void setClaimRef(ClaimRef claimRef) {
    this.claimRef = claimRef;
  }
}
