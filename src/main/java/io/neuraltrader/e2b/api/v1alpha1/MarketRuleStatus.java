package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** One market-condition rule as last evaluated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class MarketRuleStatus {
  @Size(max = 63)
  private String name;
  private Boolean active;
  /** Its replicas delta, counted while active. */
  private Integer replicas;
  /** The fleet's median of the rule's metric at the last evaluation (absent: no agent reports it). */
  private Double value;
  @Size(max = 64)
  /** When it last turned active. */
  private String since;
  @Size(max = 64)
  /** When its condition last held; it stays active for cooldownSeconds after. */
  private String lastMetAt;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Boolean getActive() {
    return active;
  }

  public void setActive(Boolean active) {
    this.active = active;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Double getValue() {
    return value;
  }

  public void setValue(Double value) {
    this.value = value;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  public String getLastMetAt() {
    return lastMetAt;
  }

  public void setLastMetAt(String lastMetAt) {
    this.lastMetAt = lastMetAt;
  }
}
