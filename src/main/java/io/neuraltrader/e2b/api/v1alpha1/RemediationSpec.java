package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Replacing a sandbox whose executions keep failing: above maxErrorRate over at least minExecutions of the
 * sandbox's executions, it is killed and recreated (state restored from the state ConfigMap), at most once per
 * minIntervalSeconds so a broken template cannot churn sandboxes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RemediationSpec {
  /** Unset: on for agents of an E2BDeployment, off otherwise. */
  private Boolean enabled;
  @Default("0.5")
  @Min(0)
  @Max(1)
  private Double maxErrorRate = 0.5;
  @Default("10")
  @Min(1)
  @Max(1000000)
  private Integer minExecutions = 10;
  @Default("600")
  @Min(60)
  @Max(86400)
  private Integer minIntervalSeconds = 600;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Double getMaxErrorRate() {
    return maxErrorRate;
  }

  public void setMaxErrorRate(Double maxErrorRate) {
    this.maxErrorRate = maxErrorRate;
  }

  public Integer getMinExecutions() {
    return minExecutions;
  }

  public void setMinExecutions(Integer minExecutions) {
    this.minExecutions = minExecutions;
  }

  public Integer getMinIntervalSeconds() {
    return minIntervalSeconds;
  }

  public void setMinIntervalSeconds(Integer minIntervalSeconds) {
    this.minIntervalSeconds = minIntervalSeconds;
  }
}
