package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** How many of a deployment's agents are healthy, degraded or unhealthy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class HealthCounts {
  private Integer healthy = 0;
  private Integer degraded = 0;
  private Integer unhealthy = 0;

  public Integer getHealthy() {
    return healthy;
  }

  public void setHealthy(Integer healthy) {
    this.healthy = healthy;
  }

  public Integer getDegraded() {
    return degraded;
  }

  public void setDegraded(Integer degraded) {
    this.degraded = degraded;
  }

  public Integer getUnhealthy() {
    return unhealthy;
  }

  public void setUnhealthy(Integer unhealthy) {
    this.unhealthy = unhealthy;
  }
}
