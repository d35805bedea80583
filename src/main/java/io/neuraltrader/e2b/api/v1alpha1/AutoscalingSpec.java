package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Scaling on what the agents observe: each active rule adds its replicas to the schedule's (or spec's) count.
 * A rule turns active as soon as its condition holds and inactive once it has not held for cooldownSeconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AutoscalingSpec {
  @Size(max = 16)
  @ListType(value = "map", keys = "name")
  private List<MarketConditionRule> marketConditions;
  /** How long a rule stays active after its condition last held. */
  @Default("300")
  @Min(0)
  @Max(86400)
  private Integer cooldownSeconds = 300;

  public List<MarketConditionRule> getMarketConditions() {
    return marketConditions;
  }

  public void setMarketConditions(List<MarketConditionRule> marketConditions) {
    this.marketConditions = marketConditions;
  }

  public Integer getCooldownSeconds() {
    return cooldownSeconds;
  }

  public void setCooldownSeconds(Integer cooldownSeconds) {
    this.cooldownSeconds = cooldownSeconds;
  }
}
