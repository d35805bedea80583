package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The fleet's decision per symbol: published when at least {@code quorum} of the voting agents (healthy, not
 * suspended, ticked within {@code maxAgeIntervals} intervals) signal the same action for it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ConsensusSpec {
  /** Fraction of the voters that must agree; 0.67 tolerates a third failing or dissenting. */
  @Default("0.67")
  @Min(0.5)
  @Max(1)
  private Double quorum = 0.67;
  /** Voters needed before any decision is published. */
  @Default("1")
  @Min(1)
  @Max(1000)
  private Integer minVoters = 1;

  public Double getQuorum() {
    return quorum;
  }

  public void setQuorum(Double quorum) {
    this.quorum = quorum;
  }

  public Integer getMinVoters() {
    return minVoters;
  }

  public void setMinVoters(Integer minVoters) {
    this.minVoters = minVoters;
  }
}
