package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a sandbox pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SandboxPoolStatus {
  private Long observedGeneration;
  /** Warm (unclaimed) members, whatever their phase. */
  @StatusReplicas
  private Integer replicas;
  /** Warm members that are Running and ready to claim. */
  private Integer readyReplicas;
  private Integer claimed;
  private Integer creating;
  /** The warm count the pool is steering to right now (a schedule window may override spec.replicas). */
  private Integer desiredReplicas;
  /** Label selector of the warm members, for the scale subresource. */
  @LabelSelector
  @Size(max = 32768)
  private String selector;
  @Size(max = 253)
  private String activeSchedule;
  @Size(max = 64)
  private String nextTransitionAt;
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

  public Integer getClaimed() {
    return claimed;
  }

  public void setClaimed(Integer claimed) {
    this.claimed = claimed;
  }

  public Integer getCreating() {
    return creating;
  }

  public void setCreating(Integer creating) {
    this.creating = creating;
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

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
