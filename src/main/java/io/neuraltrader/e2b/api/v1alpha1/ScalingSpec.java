package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How fast and how far a deployment may scale. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ScalingSpec {
  /** Replicas added or removed per step. */
  @Default("5")
  @Min(1)
  @Max(1000)
  private Integer maxStep = 5;
  /** Minimum time between steps; a step also waits for the previous one to be Ready. */
  @Default("30")
  @Min(0)
  @Max(3600)
  private Integer stepIntervalSeconds = 30;
  /** Hard cap on replicas, whatever the schedule or kubectl scale says. */
  @Default("100")
  @Min(1)
  @Max(1000)
  private Integer maxReplicas = 100;
  /** A scale-up to more than this factor times the current replicas waits for an approval annotation. */
  @Default("4")
  @Min(1)
  @Max(1000)
  private Double maxScaleUpFactor = 4.0;

  public Integer getMaxStep() {
    return maxStep;
  }

  public void setMaxStep(Integer maxStep) {
    this.maxStep = maxStep;
  }

  public Integer getStepIntervalSeconds() {
    return stepIntervalSeconds;
  }

  public void setStepIntervalSeconds(Integer stepIntervalSeconds) {
    this.stepIntervalSeconds = stepIntervalSeconds;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Double getMaxScaleUpFactor() {
    return maxScaleUpFactor;
  }

  public void setMaxScaleUpFactor(Double maxScaleUpFactor) {
    this.maxScaleUpFactor = maxScaleUpFactor;
  }
}
