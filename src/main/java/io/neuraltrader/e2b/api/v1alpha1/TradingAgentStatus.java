package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a trading agent. Times are RFC 3339. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TradingAgentStatus {
  private Long observedGeneration;
  private AgentPhase phase;
  /** The E2BSandbox the agent runs in. */
  @Size(max = 253)
  private String sandboxRef;
  @Size(max = 256)
  private String sandboxID;
  @Default("0")
  private Long runs = 0L;
  private Long failedRuns;
  private Integer consecutiveFailures;
  @Size(max = 64)
  private String lastRunAt;
  @Size(max = 64)
  private String nextRunAt;
  private Long lastRunDurationMs;
  @Size(max = 200)
  private List<Signal> signals = new ArrayList<>();
  /** Per symbol, what the latest tick saw of the market (one entry per quoted symbol). */
  @Size(max = 50)
  private List<MarketObservation> observations = new ArrayList<>();
  private Portfolio portfolio;
  private Performance performance;
  /** Equity in USD (printer column). */
  private Double equity;
  /** Equity minus capital in USD (printer column). */
  private Double pnl;
  @Size(max = 4096)
  private String lastError;
  /** Sandboxes replaced for their error rate. */
  private Long remediations;
  @Size(max = 64)
  private String lastRemediationAt;
  /** The tick error rate against its baseline (the Anomalous condition). */
  private ErrorRateStatus errorRate;
  @Size(max = 16)
  @ListType(value = "map", keys = "type")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public AgentPhase getPhase() {
    return phase;
  }

  public void setPhase(AgentPhase phase) {
    this.phase = phase;
  }

  public String getSandboxRef() {
    return sandboxRef;
  }

  public void setSandboxRef(String sandboxRef) {
    this.sandboxRef = sandboxRef;
  }

  public String getSandboxID() {
    return sandboxID;
  }

  public void setSandboxID(String sandboxID) {
    this.sandboxID = sandboxID;
  }

  public Long getRuns() {
    return runs;
  }

  public void setRuns(Long runs) {
    this.runs = runs;
  }

  public Long getFailedRuns() {
    return failedRuns;
  }

  public void setFailedRuns(Long failedRuns) {
    this.failedRuns = failedRuns;
  }

  public Integer getConsecutiveFailures() {
    return consecutiveFailures;
  }

  public void setConsecutiveFailures(Integer consecutiveFailures) {
    this.consecutiveFailures = consecutiveFailures;
  }

  public String getLastRunAt() {
    return lastRunAt;
  }

  public void setLastRunAt(String lastRunAt) {
    this.lastRunAt = lastRunAt;
  }

  public String getNextRunAt() {
    return nextRunAt;
  }

  public void setNextRunAt(String nextRunAt) {
    this.nextRunAt = nextRunAt;
  }

  public Long getLastRunDurationMs() {
    return lastRunDurationMs;
  }

  public void setLastRunDurationMs(Long lastRunDurationMs) {
    this.lastRunDurationMs = lastRunDurationMs;
  }

  public List<Signal> getSignals() {
    return signals;
  }

  public void setSignals(List<Signal> signals) {
    this.signals = Bounded.list(signals, 200);
  }

  public List<MarketObservation> getObservations() {
    return observations;
  }

  public void setObservations(List<MarketObservation> observations) {
    this.observations = Bounded.list(observations, 50);
  }

  public Portfolio getPortfolio() {
    return portfolio;
  }

  public void setPortfolio(Portfolio portfolio) {
    this.portfolio = portfolio;
  }

  public Performance getPerformance() {
    return performance;
  }

  public void setPerformance(Performance performance) {
    this.performance = performance;
  }

  public Double getEquity() {
    return equity;
  }

  public void setEquity(Double equity) {
    this.equity = equity;
  }

  public Double getPnl() {
    return pnl;
  }

  public void setPnl(Double pnl) {
    this.pnl = pnl;
  }

  public String getLastError() {
    return lastError;
  }

  public void setLastError(String lastError) {
    this.lastError = Bounded.text(lastError, 4096);
  }

  public Long getRemediations() {
    return remediations;
  }

  public void setRemediations(Long remediations) {
    this.remediations = remediations;
  }

  public String getLastRemediationAt() {
    return lastRemediationAt;
  }

  public void setLastRemediationAt(String lastRemediationAt) {
    this.lastRemediationAt = lastRemediationAt;
  }

  public ErrorRateStatus getErrorRate() {
    return errorRate;
  }

  public void setErrorRate(ErrorRateStatus errorRate) {
    this.errorRate = errorRate;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
