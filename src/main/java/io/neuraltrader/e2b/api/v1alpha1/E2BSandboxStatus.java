package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of one E2B sandbox. Times are RFC 3339. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class E2BSandboxStatus {
  private Long observedGeneration;
  private SandboxPhase phase;
  @Size(max = 256)
  private String sandboxID;
  @Size(max = 256)
  private String templateID;
  @Size(max = 64)
  private String envdVersion;
  @Size(max = 253)
  private String domain;
  @Size(max = 64)
  private String startedAt;
  /** When the first sandbox of this resource started; lifetime counts from here across restarts. */
  @Size(max = 64)
  private String firstStartedAt;
  @Size(max = 64)
  private String expiresAt;
  @Size(max = 64)
  private String lastRenewedAt;
  private Integer cpuCount;
  private Integer memoryMB;
  private SandboxUsage usage;
  private Long executionCount;
  private Long executionErrors;
  private Long averageExecutionMs;
  @Size(max = 64)
  private String lastActivityAt;
  @Default("0")
  private Integer restarts = 0;
  private HealthState health;
  /** The execution error rate against its baseline (the Anomalous condition). */
  private ErrorRateStatus errorRate;
  private Double estimatedCostUSD;
  /** Up to when estimatedCostUSD has been accrued. */
  @Size(max = 64)
  private String costAccruedAt;
  /** Why the sandbox is paused: Requested (spec.paused) or Idle (idleTimeout). */
  @Size(max = 1024)
  private String pauseReason;
  @Size(max = 4096)
  private String lastError;
  @Size(max = 16)
  @ListType(value = "map", keys = "type")
  private List<Condition> conditions = new ArrayList<>();

  public ErrorRateStatus getErrorRate() {
    return errorRate;
  }

  public void setErrorRate(ErrorRateStatus errorRate) {
    this.errorRate = errorRate;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public SandboxPhase getPhase() {
    return phase;
  }

  public void setPhase(SandboxPhase phase) {
    this.phase = phase;
  }

  public String getSandboxID() {
    return sandboxID;
  }

  public void setSandboxID(String sandboxID) {
    this.sandboxID = sandboxID;
  }

  public String getTemplateID() {
    return templateID;
  }

  public void setTemplateID(String templateID) {
    this.templateID = templateID;
  }

  public String getEnvdVersion() {
    return envdVersion;
  }

  public void setEnvdVersion(String envdVersion) {
    this.envdVersion = envdVersion;
  }

  public String getDomain() {
    return domain;
  }

  public void setDomain(String domain) {
    this.domain = domain;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFirstStartedAt() {
    return firstStartedAt;
  }

  public void setFirstStartedAt(String firstStartedAt) {
    this.firstStartedAt = firstStartedAt;
  }

  public String getCostAccruedAt() {
    return costAccruedAt;
  }

  public void setCostAccruedAt(String costAccruedAt) {
    this.costAccruedAt = costAccruedAt;
  }

  public String getPauseReason() {
    return pauseReason;
  }

  public void setPauseReason(String pauseReason) {
    this.pauseReason = Bounded.text(pauseReason, 1024);
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getLastRenewedAt() {
    return lastRenewedAt;
  }

  public void setLastRenewedAt(String lastRenewedAt) {
    this.lastRenewedAt = lastRenewedAt;
  }

  public Integer getCpuCount() {
    return cpuCount;
  }

  public void setCpuCount(Integer cpuCount) {
    this.cpuCount = cpuCount;
  }

  public Integer getMemoryMB() {
    return memoryMB;
  }

  public void setMemoryMB(Integer memoryMB) {
    this.memoryMB = memoryMB;
  }

  public SandboxUsage getUsage() {
    return usage;
  }

  public void setUsage(SandboxUsage usage) {
    this.usage = usage;
  }

  public Long getExecutionCount() {
    return executionCount;
  }

  public void setExecutionCount(Long executionCount) {
    this.executionCount = executionCount;
  }

  public Long getExecutionErrors() {
    return executionErrors;
  }

  public void setExecutionErrors(Long executionErrors) {
    this.executionErrors = executionErrors;
  }

  public Long getAverageExecutionMs() {
    return averageExecutionMs;
  }

  public void setAverageExecutionMs(Long averageExecutionMs) {
    this.averageExecutionMs = averageExecutionMs;
  }

  public String getLastActivityAt() {
    return lastActivityAt;
  }

  public void setLastActivityAt(String lastActivityAt) {
    this.lastActivityAt = lastActivityAt;
  }

  public Integer getRestarts() {
    return restarts;
  }

  public void setRestarts(Integer restarts) {
    this.restarts = restarts;
  }

  public HealthState getHealth() {
    return health;
  }

  public void setHealth(HealthState health) {
    this.health = health;
  }

  public Double getEstimatedCostUSD() {
    return estimatedCostUSD;
  }

  public void setEstimatedCostUSD(Double estimatedCostUSD) {
    this.estimatedCostUSD = estimatedCostUSD;
  }

  public String getLastError() {
    return lastError;
  }

  public void setLastError(String lastError) {
    this.lastError = Bounded.text(lastError, 4096);
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
