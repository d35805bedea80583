package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** Observed state of an E2BDeployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class E2BDeploymentStatus {
  private Long observedGeneration;
  /** Agents that exist and are not being removed. */
  @StatusReplicas
  private Integer replicas;
  private Integer readyReplicas;
  private Integer updatedReplicas;
  private Integer desiredReplicas;
  /** Label selector of the agents, for the scale subresource (HPA/KEDA). */
  @LabelSelector
  @Size(max = 32768)
  private String selector;
  @Size(max = 253)
  private String activeSchedule;
  @Size(max = 64)
  private String nextTransitionAt;
  private ManualOverride manualOverride;
  /** spec.replicas as last seen, to tell a kubectl scale from a schedule change. */
  private Integer lastSeenSpecReplicas;
  @Size(max = 64)
  private String lastScaleTime;
  private HealthCounts health;
  private Double estimatedCostPerHourUSD;
  private Double projectedMonthlyCostUSD;
  private Double staticMonthlyCostUSD;
  private AggregatePerformance performance;
  /** How the desired count came about: the base (window, override or spec), market rules, caps. */
  @Size(max = 1024)
  private String desiredReason;
  private MarketConditionsStatus marketConditions;
  /** Symbols on which a quorum of the voting agents agree, by symbol. */
  @Size(max = 256)
  private List<ConsensusDecision> consensus;
  /** Symbols in consensus (printer column). */
  private Integer symbolsInConsensus;
  /** The fleet's tick error rate against its baseline. */
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

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Integer getUpdatedReplicas() {
    return updatedReplicas;
  }

  public void setUpdatedReplicas(Integer updatedReplicas) {
    this.updatedReplicas = updatedReplicas;
  }

  public Integer getDesiredReplicas() {
    return desiredReplicas;
  }

  public void setDesiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getActiveSchedule() {
    return activeSchedule;
  }

  public void setActiveSchedule(String activeSchedule) {
    this.activeSchedule = activeSchedule;
  }

  public String getNextTransitionAt() {
    return nextTransitionAt;
  }

  public void setNextTransitionAt(String nextTransitionAt) {
    this.nextTransitionAt = nextTransitionAt;
  }

  public ManualOverride getManualOverride() {
    return manualOverride;
  }

  public void setManualOverride(ManualOverride manualOverride) {
    this.manualOverride = manualOverride;
  }

  public Integer getLastSeenSpecReplicas() {
    return lastSeenSpecReplicas;
  }

  public void setLastSeenSpecReplicas(Integer lastSeenSpecReplicas) {
    this.lastSeenSpecReplicas = lastSeenSpecReplicas;
  }

  public String getLastScaleTime() {
    return lastScaleTime;
  }

  public void setLastScaleTime(String lastScaleTime) {
    this.lastScaleTime = lastScaleTime;
  }

  public HealthCounts getHealth() {
    return health;
  }

  public void setHealth(HealthCounts health) {
    this.health = health;
  }

  public Double getEstimatedCostPerHourUSD() {
    return estimatedCostPerHourUSD;
  }

  public void setEstimatedCostPerHourUSD(Double estimatedCostPerHourUSD) {
    this.estimatedCostPerHourUSD = estimatedCostPerHourUSD;
  }

  public Double getProjectedMonthlyCostUSD() {
    return projectedMonthlyCostUSD;
  }

  public void setProjectedMonthlyCostUSD(Double projectedMonthlyCostUSD) {
    this.projectedMonthlyCostUSD = projectedMonthlyCostUSD;
  }

  public Double getStaticMonthlyCostUSD() {
    return staticMonthlyCostUSD;
  }

  public void setStaticMonthlyCostUSD(Double staticMonthlyCostUSD) {
    this.staticMonthlyCostUSD = staticMonthlyCostUSD;
  }

  public AggregatePerformance getPerformance() {
    return performance;
  }

  public void setPerformance(AggregatePerformance performance) {
    this.performance = performance;
  }

  public String getDesiredReason() {
    return desiredReason;
  }

  public void setDesiredReason(String desiredReason) {
    this.desiredReason = Bounded.text(desiredReason, 1024);
  }

  public MarketConditionsStatus getMarketConditions() {
    return marketConditions;
  }

  public void setMarketConditions(MarketConditionsStatus marketConditions) {
    this.marketConditions = marketConditions;
  }

  public List<ConsensusDecision> getConsensus() {
    return consensus;
  }

  public void setConsensus(List<ConsensusDecision> consensus) {
    this.consensus = Bounded.list(consensus, 256);
  }

  public Integer getSymbolsInConsensus() {
    return symbolsInConsensus;
  }

  public void setSymbolsInConsensus(Integer symbolsInConsensus) {
    this.symbolsInConsensus = symbolsInConsensus;
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
