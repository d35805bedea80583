package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The fleet's market figures (medians over its healthy, fresh agents) and the rules they activate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class MarketConditionsStatus extends MarketFigures {
  /** Agents whose observations counted. */
  private Integer agents;
  /** Sum of the active rules' replicas. */
  private Integer replicas;
  @Size(max = 16)
  private List<MarketRuleStatus> rules;

  public Integer getAgents() {
    return agents;
  }

  public void setAgents(Integer agents) {
    this.agents = agents;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public List<MarketRuleStatus> getRules() {
    return rules;
  }

  public void setRules(List<MarketRuleStatus> rules) {
    this.rules = Bounded.list(rules, 16);
  }
}
