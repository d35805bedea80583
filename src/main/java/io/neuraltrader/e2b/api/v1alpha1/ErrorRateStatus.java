package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** Error-rate anomaly detection: the open window's counts, the baseline of the earlier windows, the verdict. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ErrorRateStatus {
  private Boolean anomalous;
  /** Failed / all executions in the open window (the last closed one while it is too small). */
  private Double currentRate;
  /** Exponentially weighted rate of the closed windows; absent before the first closes. */
  private Double baseline;
  @Size(max = 64)
  private String windowStart;
  private Long windowExecutions;
  private Long windowFailures;
  /** The rate of the last closed window. */
  private Double lastRate;
  /** Executions of the last closed window. */
  private Long lastExecutions;
  /** The execution counter as last seen, to count what is new. */
  private Long seenExecutions;
  /** The failure counter as last seen. */
  private Long seenFailures;
  /** Closed windows in the baseline. */
  private Long windows;

  public Boolean getAnomalous() {
    return anomalous;
  }

  public void setAnomalous(Boolean anomalous) {
    this.anomalous = anomalous;
  }

  public Double getCurrentRate() {
    return currentRate;
  }

  public void setCurrentRate(Double currentRate) {
    this.currentRate = currentRate;
  }

  public Double getBaseline() {
    return baseline;
  }

  public void setBaseline(Double baseline) {
    this.baseline = baseline;
  }

  public String getWindowStart() {
    return windowStart;
  }

  public void setWindowStart(String windowStart) {
    this.windowStart = windowStart;
  }

  public Long getWindowExecutions() {
    return windowExecutions;
  }

  public void setWindowExecutions(Long windowExecutions) {
    this.windowExecutions = windowExecutions;
  }

  public Long getWindowFailures() {
    return windowFailures;
  }

  public void setWindowFailures(Long windowFailures) {
    this.windowFailures = windowFailures;
  }

  public Double getLastRate() {
    return lastRate;
  }

  public void setLastRate(Double lastRate) {
    this.lastRate = lastRate;
  }

  public Long getLastExecutions() {
    return lastExecutions;
  }

  public void setLastExecutions(Long lastExecutions) {
    this.lastExecutions = lastExecutions;
  }

  public Long getSeenExecutions() {
    return seenExecutions;
  }

  public void setSeenExecutions(Long seenExecutions) {
    this.seenExecutions = seenExecutions;
  }

  public Long getSeenFailures() {
    return seenFailures;
  }

  public void setSeenFailures(Long seenFailures) {
    this.seenFailures = seenFailures;
  }

  public Long getWindows() {
    return windows;
  }

  public void setWindows(Long windows) {
    this.windows = windows;
  }
}
