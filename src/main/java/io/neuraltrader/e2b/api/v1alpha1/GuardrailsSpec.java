package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Stop an agent whose closed trades win too rarely. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GuardrailsSpec {
  @Required
  @Min(0)
  @Max(1)
  private Double minWinRate;
  /** The rule applies only after this many closed trades. */
  @Default("20")
  @Min(1)
  @Max(100000)
  private Integer minTrades = 20;
  @Default("Suspend")
  private GuardrailAction action = GuardrailAction.Suspend;

  public Double getMinWinRate() {
    return minWinRate;
  }

  public void setMinWinRate(Double minWinRate) {
    this.minWinRate = minWinRate;
  }

  public Integer getMinTrades() {
    return minTrades;
  }

  public void setMinTrades(Integer minTrades) {
    this.minTrades = minTrades;
  }

  public GuardrailAction getAction() {
    return action;
  }

  public void setAction(GuardrailAction action) {
    this.action = action;
  }
}
