package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Adds {@code replicas} (negative: removes) while the fleet's median of {@code metric} is above or below a
 * threshold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "has(self.above) != has(self.below)",
    message = "a market condition needs exactly one of above or below")
public class MarketConditionRule {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @Size(max = 63)
  private String name;
  @Required
  private MarketMetric metric;
  /** Active while the metric is above this (volatility and spread are fractions: 0.03 is 3%). */
  @Min(0)
  @Max(1e15)
  private Double above;
  /** Active while the metric is below this. */
  @Min(0)
  @Max(1e15)
  private Double below;
  /** Agents added while active; negative removes agents (never below one while the base wants any). */
  @Required
  @ValidationRule(value = "self != 0", message = "a market condition's replicas must not be 0")
  @Min(-1000)
  @Max(1000)
  private Integer replicas;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public MarketMetric getMetric() {
    return metric;
  }

  public void setMetric(MarketMetric metric) {
    this.metric = metric;
  }

  public Double getAbove() {
    return above;
  }

  public void setAbove(Double above) {
    this.above = above;
  }

  public Double getBelow() {
    return below;
  }

  public void setBelow(Double below) {
    this.below = below;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }
}
