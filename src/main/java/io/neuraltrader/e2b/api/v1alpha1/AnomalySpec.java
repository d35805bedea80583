package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Error-rate anomaly detection: the rate of failed executions per window, against an exponentially weighted
 * baseline of the earlier windows. Anomalous while the current rate exceeds factor x the baseline (at least
 * minBaseline) over at least minSamples executions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AnomalySpec {
  @Default("true")
  private Boolean enabled = true;
  @Default("3")
  @Min(1)
  @Max(1000)
  private Double factor = 3.0;
  @Default("10")
  @Min(1)
  @Max(1000000)
  private Integer minSamples = 10;
  /** Length of one error-rate window. */
  @Default("300")
  @Min(10)
  @Max(86400)
  private Integer windowSeconds = 300;
  /** Horizon of the baseline's exponential average (each window weighs windowSeconds / horizon). */
  @Default("3600")
  @Min(60)
  @Max(2592000)
  private Integer horizonSeconds = 3600;
  /** Floor of the baseline, so a fleet with no history of errors is not anomalous at its first one. */
  @Default("0.02")
  @Min(0)
  @Max(1)
  private Double minBaseline = 0.02;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Double getFactor() {
    return factor;
  }

  public void setFactor(Double factor) {
    this.factor = factor;
  }

  public Integer getMinSamples() {
    return minSamples;
  }

  public void setMinSamples(Integer minSamples) {
    this.minSamples = minSamples;
  }

  public Integer getWindowSeconds() {
    return windowSeconds;
  }

  public void setWindowSeconds(Integer windowSeconds) {
    this.windowSeconds = windowSeconds;
  }

  public Integer getHorizonSeconds() {
    return horizonSeconds;
  }

  public void setHorizonSeconds(Integer horizonSeconds) {
    this.horizonSeconds = horizonSeconds;
  }

  public Double getMinBaseline() {
    return minBaseline;
  }

  public void setMinBaseline(Double minBaseline) {
    this.minBaseline = minBaseline;
  }
}
